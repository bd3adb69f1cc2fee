/** Coverage, Amdahl's law and bootstrap intervals of derived statistics: pure functions, tested on fixed data. */
import { median, quantile, seededRandom } from '../core/stats.ts';
import type { Interval } from '../core/types.ts';

/** macro = 1 / ((1 − c) + c / s): the whole speeds up by s on a share c of its runtime. */
export function amdahl(coverage: number, speedup: number): number {
  if (!(coverage >= 0 && coverage <= 1)) throw new Error(`amdahl: coverage must be in [0, 1] (got ${coverage})`);
  if (!(speedup > 0)) throw new Error(`amdahl: speedup must be positive (got ${speedup})`);
  return 1 / (1 - coverage + coverage / speedup);
}

/** Several disjoint fused regions: 1 / ((1 − Σc) + Σ c/s). */
export function amdahlParts(parts: ReadonlyArray<{ readonly coverage: number; readonly speedup: number }>): number {
  const c = parts.reduce((a, p) => a + p.coverage, 0);
  if (c > 1 + 1e-12) throw new Error(`amdahl: coverages add up to ${c} > 1`);
  return 1 / (1 - Math.min(1, c) + parts.reduce((a, p) => a + p.coverage / p.speedup, 0));
}

/** Share of the declared stages inside fusion groups, and the share fusion removes (the study's count: 1 of 5). */
export function opCoverage(stageCount: number, groups: ReadonlyArray<{ readonly indices: readonly number[] }>): { opShare: number; opsRemovedShare: number } {
  const inGroups = groups.reduce((a, g) => a + g.indices.length, 0);
  const removed = groups.reduce((a, g) => a + g.indices.length - 1, 0);
  return { opShare: inGroups / stageCount, opsRemovedShare: removed / stageCount };
}

export function geomean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

/**
 * Percentile bootstrap of any statistic of per-variant medians. `samples[v][r]` is variant v in round r;
 * resampling takes whole rounds, so every variant of a round stays together.
 */
export function bootstrapStatistic(
  samples: ReadonlyArray<readonly number[]>,
  statistic: (medians: readonly number[]) => number,
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): Interval {
  const rounds = samples[0]?.length ?? 0;
  if (rounds === 0 || samples.some((s) => s.length !== rounds)) throw new Error('bootstrapStatistic: every variant needs the same, non-zero number of rounds');
  const value = statistic(samples.map((s) => median(s)));
  const resamples = opts.resamples ?? 2000;
  const rand = seededRandom(opts.seed ?? 0x5eed);
  const stats: number[] = [];
  const pick = new Array<number>(rounds);
  const buf = new Array<number>(rounds);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < rounds; i++) pick[i] = Math.floor(rand() * rounds);
    const meds = samples.map((s) => {
      for (let i = 0; i < rounds; i++) buf[i] = s[pick[i]];
      return median(buf);
    });
    const x = statistic(meds);
    if (Number.isFinite(x)) stats.push(x);
  }
  if (stats.length === 0) return { ratio: value, lo: Number.NaN, hi: Number.NaN };
  const tail = (1 - (opts.confidence ?? 0.95)) / 2;
  return { ratio: value, lo: quantile(stats, tail), hi: quantile(stats, 1 - tail) };
}

/** Geometric mean of several independent intervals' statistics, bootstrapped jointly (each size resampled on its own). */
export function bootstrapGeomean(
  perSize: ReadonlyArray<{ readonly samples: ReadonlyArray<readonly number[]>; readonly statistic: (medians: readonly number[]) => number }>,
  opts: { resamples?: number; confidence?: number; seed?: number } = {},
): Interval {
  if (perSize.length === 0) return { ratio: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const resamples = opts.resamples ?? 2000;
  const rand = seededRandom(opts.seed ?? 0x5eed);
  const value = geomean(perSize.map((p) => p.statistic(p.samples.map((s) => median(s)))));
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const xs = perSize.map((p) => {
      const rounds = p.samples[0].length;
      const pick = Array.from({ length: rounds }, () => Math.floor(rand() * rounds));
      return p.statistic(p.samples.map((s) => median(pick.map((i) => s[i]))));
    });
    const g = geomean(xs);
    if (Number.isFinite(g)) stats.push(g);
  }
  const tail = (1 - (opts.confidence ?? 0.95)) / 2;
  return stats.length ? { ratio: value, lo: quantile(stats, tail), hi: quantile(stats, 1 - tail) } : { ratio: value, lo: Number.NaN, hi: Number.NaN };
}
