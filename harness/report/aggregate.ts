/**
 * Speedups across sizes, patterns and families, with confidence intervals that the per-size CIs cannot give:
 * a pattern's speedup is the geometric mean of its per-size ratios of medians, a family's the geometric mean of
 * its patterns', a backend's the geometric mean of its families'. The CI is a percentile bootstrap in which every
 * size is resampled as its own CI was (processes, then rounds within each: core/stats.ts) and the replicates are
 * combined replicate by replicate, so the recorded samples are all it needs.
 * Seeds derive from names, never from the clock: the same results always render the same report.
 */
import { geomean, geomeanReplicates, hashSeed, hierarchicalReplicates, percentileInterval, type ProcessSamples } from '../core/stats.ts';
import type { SizeResult } from '../core/types.ts';

export { geomean, geomeanReplicates, hashSeed };

export interface Aggregate {
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
}

/** Bootstrap replicates of one figure; index r is replicate r. */
export type Replicates = Float64Array;

/** Point estimate plus the percentile interval of its replicates. */
export function aggregateOf(point: number, replicates: Replicates, confidence: number): Aggregate {
  return percentileInterval(point, replicates, confidence);
}

/**
 * A size's rounds split by the process that took them (`processes[k].rounds`, in order); one block when the size
 * records no processes or their rounds do not add up to the samples.
 */
export function processBlocks(r: SizeResult): ProcessSamples[] {
  const a = r.unfused?.samplesMs ?? [];
  const b = r.fused?.samplesMs ?? [];
  const n = Math.min(a.length, b.length);
  const rounds = (r.processes ?? []).map((p) => p.rounds);
  if (rounds.length < 2 || rounds.reduce((s, x) => s + x, 0) !== n) return [{ a: a.slice(0, n), b: b.slice(0, n) }];
  const out: ProcessSamples[] = [];
  let at = 0;
  for (const k of rounds) {
    out.push({ a: a.slice(at, at + k), b: b.slice(at, at + k) });
    at += k;
  }
  return out;
}

/** Replicates for a timed size result, resampled as its own CI was, seeded by where it belongs. */
export function replicatesFor(patternId: string, r: SizeResult, resamples: number): Replicates {
  const blocks = processBlocks(r);
  if (blocks[0]!.a.length === 0) return new Float64Array(resamples).fill(Number.NaN);
  return hierarchicalReplicates(blocks, resamples, hashSeed(`${patternId}|${r.backend}|${r.size}`));
}
