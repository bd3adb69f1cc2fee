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
  const resamples = opts.resamples ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  const rand = seededRandom(opts.seed ?? 0x5eed);
  const ratio = median(numerator) / median(denominator);
  const ratios = new Float64Array(resamples);
  const a = new Array<number>(n);
  const b = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      a[i] = numerator[j];
      b[i] = denominator[j];
    }
    ratios[r] = median(a) / median(b);
  }
  const sorted = Array.from(ratios).sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return { ratio, lo: quantile(sorted, tail), hi: quantile(sorted, 1 - tail) };
}

/** One process's paired rounds: `a[i]` and `b[i]` ran back to back in round i. */
export interface ProcessSamples {
  readonly a: readonly number[];
  readonly b: readonly number[];
}

/**
 * Speedup = median(all a) / median(all b) over the rounds of several processes, with a hierarchical percentile
 * bootstrap CI: each resample draws processes with replacement, then rounds with replacement within each drawn
 * process (pairs kept), so that the variance between processes (JIT tiers, allocator, heap layout) is inside the
 * interval, not only the variance between the rounds of one process. With one process it is the paired bootstrap.
 */
export function hierarchicalRatioOfMedians(
  processes: readonly ProcessSamples[],
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): RatioInterval {
  if (processes.length === 0 || processes.some((p) => p.a.length === 0 || p.a.length !== p.b.length)) {
    throw new Error('hierarchical bootstrap needs processes with paired samples of equal, non-zero length');
  }
  if (processes.length === 1) return bootstrapRatioOfMedians(processes[0]!.a, processes[0]!.b, opts);
  const resamples = opts.resamples ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  const rand = seededRandom(opts.seed ?? 0x5eed);
  const ratio = median(processes.flatMap((p) => p.a)) / median(processes.flatMap((p) => p.b));
  const g = processes.length;
  const ratios = new Float64Array(resamples);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < resamples; r++) {
    a.length = 0;
    b.length = 0;
    for (let k = 0; k < g; k++) {
      const p = processes[Math.floor(rand() * g)]!;
      const n = p.a.length;
      for (let i = 0; i < n; i++) {
        const j = Math.floor(rand() * n);
        a.push(p.a[j]!);
        b.push(p.b[j]!);
      }
    }
    ratios[r] = median(a) / median(b);
  }
  const sorted = Array.from(ratios).sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return { ratio, lo: quantile(sorted, tail), hi: quantile(sorted, 1 - tail) };
}
