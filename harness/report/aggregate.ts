/**
 * Speedups across sizes and patterns, with confidence intervals that the per-size CIs cannot give:
 * a pattern's speedup is the geometric mean of its per-size ratios of medians; a backend's is the
 * geometric mean of its patterns'. The CI comes from the same percentile bootstrap as the per-size one,
 * resampling each size's paired rounds independently, so the recorded samples are all it needs.
 * Seeds derive from names, never from the clock: the same results always render the same report.
 */
import { quantile, seededRandom } from '../core/stats.ts';
import type { SizeResult } from '../core/types.ts';

export interface Aggregate {
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
}

/** Bootstrap replicates of one size's ratio of medians; index r is replicate r. */
export type Replicates = Float64Array;

/** FNV-1a, for seeds derived from names. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The k-th smallest value (0-based), rearranging `v` in place (Hoare's selection; exact, not approximate). */
function select(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k];
  }
  return v[k];
}

/** Median with type-7 interpolation, as stats.ts computes it; rearranges `values`. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  const pos = (n - 1) / 2;
  const lo = Math.floor(pos);
  const a = select(values, lo);
  if (lo === pos) return a;
  // The next order statistic is the minimum of the upper part, which select left to the right of `lo`.
  let b = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < n; i++) if (values[i] < b) b = values[i];
  return a + (b - a) * (pos - lo);
}

/** Replicates of median(unfused)/median(fused), resampling paired rounds (same pairing as the per-size CI). */
export function sizeReplicates(unfused: readonly number[], fused: readonly number[], resamples: number, seed: number): Replicates {
  const n = Math.min(unfused.length, fused.length);
  const out = new Float64Array(resamples);
  if (n === 0) return out.fill(Number.NaN);
  const rand = seededRandom(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      a[i] = unfused[j];
      b[i] = fused[j];
    }
    out[r] = medianInPlace(a) / medianInPlace(b);
  }
  return out;
}

/** Replicates of the geometric mean of several replicate sets, replicate by replicate. */
export function geomeanReplicates(sets: readonly Replicates[]): Replicates {
  if (sets.length === 0) throw new Error('geometric mean of nothing');
  const n = sets[0].length;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let logSum = 0;
    for (const s of sets) logSum += Math.log(s[r]);
    out[r] = Math.exp(logSum / sets.length);
  }
  return out;
}

export function geomean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('geometric mean of nothing');
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

/** Point estimate plus the percentile interval of its replicates. */
export function aggregateOf(point: number, replicates: Replicates, confidence: number): Aggregate {
  const finite = Array.from(replicates).filter(Number.isFinite);
  if (finite.length === 0) return { ratio: point, lo: Number.NaN, hi: Number.NaN };
  const tail = (1 - confidence) / 2;
  return { ratio: point, lo: quantile(finite, tail), hi: quantile(finite, 1 - tail) };
}

/** Replicates for a timed size result, seeded by where it belongs. */
export function replicatesFor(patternId: string, r: SizeResult, resamples: number): Replicates {
  return sizeReplicates(r.unfused?.samplesMs ?? [], r.fused?.samplesMs ?? [], resamples, hashSeed(`${patternId}|${r.backend}|${r.size}`));
}

