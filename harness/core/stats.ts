/**
 * Order statistics and the bootstrap confidence interval of a ratio of medians.
 * Rounds are paired (both variants ran back to back in the same round), so the bootstrap
 * resamples whole rounds: that keeps slow periods of a shared machine hitting both variants.
 */

/** Deterministic PRNG (mulberry32) so that reports and tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear-interpolated quantile (type 7, as numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of an empty sample');
  const sorted = [...values].sort((x, y) => x - y);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export interface RatioInterval {
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Speedup = median(numerator) / median(denominator) with a percentile bootstrap CI over paired rounds.
 * `numerator[i]` and `denominator[i]` must come from the same round.
 */
export function bootstrapRatioOfMedians(
  numerator: readonly number[],
  denominator: readonly number[],
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): RatioInterval {
  const n = numerator.length;
  if (n === 0 || n !== denominator.length) {
    throw new Error(`bootstrap needs paired samples of equal, non-zero length (got ${n} and ${denominator.length})`);
  }
  const ratio = median(numerator) / median(denominator);
  const replicates = bootstrapReplicates([[numerator, denominator]], (m) => m[0]![0]! / m[0]![1]!, opts.resamples ?? 2000, opts.seed ?? 0x5eed);
  return percentileInterval(ratio, replicates, opts.confidence ?? 0.95);
}

/** The geometric mean; NaN for no values (a mean of nothing is not a number). */
export function geomean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Amdahl's law: the whole speeds up by 1 / ((1 − c) + c / s) when a share c of its time speeds up by s. */
export function amdahl(coverage: number, speedup: number): number {
  if (!(coverage >= 0 && coverage <= 1)) throw new Error(`amdahl: coverage must be in [0, 1] (got ${coverage})`);
  if (!(speedup > 0)) throw new Error(`amdahl: speedup must be positive (got ${speedup})`);
  return 1 / (1 - coverage + coverage / speedup);
}

/** Several disjoint sped-up regions: 1 / ((1 − Σc) + Σ c/s). */
export function amdahlParts(parts: ReadonlyArray<{ readonly coverage: number; readonly speedup: number }>): number {
  const c = parts.reduce((a, p) => a + p.coverage, 0);
  if (c > 1 + 1e-12) throw new Error(`amdahl: coverages add up to ${c} > 1`);
  return 1 / (1 - Math.min(1, c) + parts.reduce((a, p) => a + p.coverage / p.speedup, 0));
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

/** Median with type-7 interpolation, as `median` computes it, without sorting; rearranges `values`. */
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

/**
 * Bootstrap replicates of any statistic of medians. `blocks[b][v][r]` is series v of block b in round r: the
 * series of one block were sampled in the same rounds, so a resample takes whole rounds of a block (every series
 * of a round stays together); blocks are resampled independently (different sizes, or different suites).
 * `statistic` gets the medians as `[block][series]`. Replicate r is the statistic of resample r.
 */
export function bootstrapReplicates(
  blocks: ReadonlyArray<ReadonlyArray<readonly number[]>>,
  statistic: (medians: ReadonlyArray<readonly number[]>) => number,
  resamples: number,
  seed: number,
): Float64Array {
  const rounds = blocks.map((series, b) => {
    const n = series[0]?.length ?? 0;
    if (series.some((s) => s.length !== n)) throw new Error(`bootstrap: the series of block ${b} need the same number of rounds`);
    return n;
  });
  const out = new Float64Array(resamples);
  if (rounds.some((n) => n === 0)) return out.fill(Number.NaN);
  const rand = seededRandom(seed);
  const buffers = blocks.map((series, b) => series.map(() => new Float64Array(rounds[b]!)));
  const medians = blocks.map((series) => series.map(() => 0));
  for (let r = 0; r < resamples; r++) {
    blocks.forEach((series, b) => {
      const n = rounds[b]!;
      const bufs = buffers[b]!;
      for (let i = 0; i < n; i++) {
        const j = Math.floor(rand() * n);
        for (let v = 0; v < series.length; v++) bufs[v]![i] = series[v]![j]!;
      }
      for (let v = 0; v < series.length; v++) medians[b]![v] = medianInPlace(bufs[v]!);
    });
    out[r] = statistic(medians);
  }
  return out;
}

/** A point estimate with the percentile interval of its (finite) bootstrap replicates. */
export function percentileInterval(point: number, replicates: ArrayLike<number>, confidence: number): RatioInterval {
  const finite = Array.from(replicates).filter(Number.isFinite);
  if (finite.length === 0) return { ratio: point, lo: Number.NaN, hi: Number.NaN };
  const tail = (1 - confidence) / 2;
  return { ratio: point, lo: quantile(finite, tail), hi: quantile(finite, 1 - tail) };
}

/** The statistic of the medians of `blocks` with its percentile bootstrap interval (see bootstrapReplicates). */
export function bootstrapStatistic(
  blocks: ReadonlyArray<ReadonlyArray<readonly number[]>>,
  statistic: (medians: ReadonlyArray<readonly number[]>) => number,
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): RatioInterval {
  const point = statistic(blocks.map((series) => series.map((s) => median(s))));
  return percentileInterval(point, bootstrapReplicates(blocks, statistic, opts.resamples ?? 2000, opts.seed ?? 0x5eed), opts.confidence ?? 0.95);
}

/** FNV-1a of a name: seeds derived from what a figure belongs to, never from the clock, so reports re-render identically. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** One process's paired rounds: `a[i]` and `b[i]` ran back to back in round i. */
export interface ProcessSamples {
  readonly a: readonly number[];
  readonly b: readonly number[];
}

/**
 * A size's speedup over several processes: the geometric mean of each process's own ratio of medians
 * (median unfused / median fused of its rounds). Each process counts once, whatever its rounds, as pyperf
 * weighs its workers: the rounds of one process share that process's state (JIT tiers, allocator, heap layout),
 * so they are one draw of it, not many. Medians pooled over processes would not do: where processes land in two
 * states (tfjs-cpu Add+ReLU, wasm at 16M elements, on the 2-core VM), the pooled median falls in the gap between
 * them, and moves by 10–30% between runs with the mix; the geometric mean moves in proportion to it.
 */
export function processSpeedup(processes: readonly ProcessSamples[]): number {
  return Math.exp(processes.reduce((s, p) => s + Math.log(median(p.a) / median(p.b)), 0) / processes.length);
}

/**
 * Bootstrap replicates of processSpeedup, resampled hierarchically: each resample draws processes with
 * replacement, then rounds with replacement within each drawn process (pairs kept), so that the variance between
 * processes is inside the interval, not only the variance between the rounds of one. With one process it is the
 * paired bootstrap (ratioReplicates), draw for draw. Replicate r is the statistic of resample r; `seed` makes them
 * reproducible. Its 95% intervals held on the 2-core VM: over 306 sizes of two full runs, the two estimates of a
 * size differed by less than 1.96 combined standard errors (read off the intervals) at 95.8% (docs/gate.md, "Intervals").
 */
export function hierarchicalReplicates(processes: readonly ProcessSamples[], resamples: number, seed: number): Float64Array {
  if (processes.length === 0 || processes.some((p) => p.a.length === 0 || p.a.length !== p.b.length)) {
    throw new Error('hierarchical bootstrap needs processes with paired samples of equal, non-zero length');
  }
  if (processes.length === 1) return ratioReplicates(processes[0]!.a, processes[0]!.b, resamples, seed);
  const rand = seededRandom(seed);
  const g = processes.length;
  const most = Math.max(...processes.map((p) => p.a.length));
  const a = new Float64Array(most);
  const b = new Float64Array(most);
  const out = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let logSum = 0;
    for (let k = 0; k < g; k++) {
      const p = processes[Math.floor(rand() * g)]!;
      const m = p.a.length;
      for (let i = 0; i < m; i++) {
        const j = Math.floor(rand() * m);
        a[i] = p.a[j]!;
        b[i] = p.b[j]!;
      }
      logSum += Math.log(medianInPlace(a.subarray(0, m)) / medianInPlace(b.subarray(0, m)));
    }
    out[r] = Math.exp(logSum / g);
  }
  return out;
}

/**
 * A size's speedup over several processes (processSpeedup) with the percentile interval of the hierarchical
 * bootstrap (hierarchicalReplicates). With one process it is the paired bootstrap of the ratio of medians.
 */
export function hierarchicalRatioOfMedians(
  processes: readonly ProcessSamples[],
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): RatioInterval {
  const replicates = hierarchicalReplicates(processes, opts.resamples ?? 2000, opts.seed ?? 0x5eed);
  return percentileInterval(processSpeedup(processes), replicates, opts.confidence ?? 0.95);
}

/** Replicates of median(a) / median(b) over paired rounds (the same resampling as bootstrapRatioOfMedians). */
export function ratioReplicates(a: readonly number[], b: readonly number[], resamples: number, seed: number): Float64Array {
  const n = Math.min(a.length, b.length);
  return bootstrapReplicates([[a.slice(0, n), b.slice(0, n)]], (m) => m[0]![0]! / m[0]![1]!, resamples, seed);
}

/** Replicates of the geometric mean of several replicate sets (independent figures), replicate by replicate. */
export function geomeanReplicates(sets: readonly Float64Array[]): Float64Array {
  if (sets.length === 0) throw new Error('geometric mean of nothing');
  const n = sets[0]!.length;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let logSum = 0;
    for (const s of sets) logSum += Math.log(s[r]!);
    out[r] = Math.exp(logSum / sets.length);
  }
  return out;
}
