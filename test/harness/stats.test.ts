import { describe, expect, it } from 'vitest';
import { bootstrapRatioOfMedians, hierarchicalRatioOfMedians, hierarchicalReplicates, median, medianInPlace, processSpeedup, quantile, seededRandom } from '../../harness/core/stats.ts';
import { aggregateOf, geomeanReplicates, processBlocks } from '../../harness/report/aggregate.ts';
import type { SizeResult } from '../../harness/core/types.ts';

/** Log-normal samples whose population median is exactly `med`. */
function lognormal(n: number, med: number, sigma: number, rand: () => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    out.push(med * Math.exp(sigma * z));
  }
  return out;
}

describe('quantiles', () => {
  it('interpolates like numpy (type 7)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(() => quantile([], 0.5)).toThrow(/empty/);
  });
});

describe('bootstrap CI of the ratio of medians', () => {
  it('covers the true ratio about 95% of the time on synthetic samples with a known ratio', () => {
    const rand = seededRandom(42);
    const trueRatio = 1.25;
    const trials = 300;
    let covered = 0;
    let belowOne = 0;
    for (let t = 0; t < trials; t++) {
      const unfused = lognormal(20, trueRatio, 0.08, rand);
      const fused = lognormal(20, 1, 0.08, rand);
      const ci = bootstrapRatioOfMedians(unfused, fused, { resamples: 1000, seed: t + 1 });
      if (ci.lo <= trueRatio && trueRatio <= ci.hi) covered++;
      if (ci.lo <= 1) belowOne++;
    }
    const coverage = covered / trials;
    // Percentile bootstrap of a median at n = 20 runs a little under nominal; it must not be far off either way.
    expect(coverage).toBeGreaterThan(0.88);
    expect(coverage).toBeLessThan(0.995);
    // And it has power: a 25% effect with 8% noise is almost never confused with no effect.
    expect(belowOne / trials).toBeLessThan(0.02);
  });

  it('gives the point ratio of medians and an interval around it', () => {
    const ci = bootstrapRatioOfMedians([2, 2.1, 1.9, 2.05], [1, 1.02, 0.98, 1.01]);
    expect(ci.ratio).toBeCloseTo(2.025 / 1.005, 12);
    expect(ci.lo).toBeLessThanOrEqual(ci.ratio);
    expect(ci.hi).toBeGreaterThanOrEqual(ci.ratio);
  });

  it('is reproducible for a seed and rejects unpaired samples', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [2, 2, 2, 2, 2];
    expect(bootstrapRatioOfMedians(a, b, { seed: 7 })).toEqual(bootstrapRatioOfMedians(a, b, { seed: 7 }));
    expect(() => bootstrapRatioOfMedians([1, 2], [1])).toThrow(/paired/);
    expect(() => bootstrapRatioOfMedians([], [])).toThrow(/paired/);
  });
});

describe('hierarchical bootstrap (processes, then rounds)', () => {
  it('the in-place median equals stats.median on odd and even lengths, ties included', () => {
    const rand = seededRandom(3);
    for (let n = 1; n <= 41; n++) {
      const v = Array.from({ length: n }, () => Math.round(rand() * 8));
      expect(medianInPlace(Float64Array.from(v)), `n=${n} ${v}`).toBe(median(v));
    }
  });

  it('with one process it is the paired bootstrap, draw for draw', () => {
    const rand = seededRandom(5);
    const a = lognormal(20, 1.3, 0.1, rand);
    const b = lognormal(20, 1, 0.1, rand);
    expect(hierarchicalRatioOfMedians([{ a, b }], { seed: 9, resamples: 300 })).toEqual(bootstrapRatioOfMedians(a, b, { seed: 9, resamples: 300 }));
  });

  it('puts the spread between processes inside the interval: wider than rounds alone when processes disagree', () => {
    const rand = seededRandom(17);
    // Five processes whose fused medians differ by ±8% (JIT tiers, heap layout), each with tight rounds, against
    // five that agree.
    const make = (factors: number[]) => factors.map((f) => ({ a: lognormal(12, 1.5, 0.01, rand), b: lognormal(12, f, 0.01, rand) }));
    const disagree = hierarchicalRatioOfMedians(make([0.92, 1.0, 1.08, 0.95, 1.05]), { seed: 1 });
    const agree = hierarchicalRatioOfMedians(make([1, 1, 1, 1, 1]), { seed: 1 });
    expect(disagree.ratio).toBeCloseTo(1.5, 1);
    expect(disagree.hi - disagree.lo).toBeGreaterThan(3 * (agree.hi - agree.lo));
  });

  it('weighs each process once: the geometric mean of the processes\' ratios, not the ratio of pooled medians', () => {
    // Two processes in two states (as tfjs-cpu Add+ReLU lands on the 2-core VM: fused 0.30 or 0.44 ms), one with
    // more rounds: the pooled median would sit in the gap, at whichever state has more rounds.
    const fast = { a: [1.5, 1.5, 1.5, 1.5, 1.5, 1.5], b: [0.3, 0.3, 0.3, 0.3, 0.3, 0.3] };
    const slow = { a: [1.5, 1.5], b: [0.44, 0.44] };
    expect(processSpeedup([fast, slow])).toBeCloseTo(Math.sqrt((1.5 / 0.3) * (1.5 / 0.44)), 12);
    expect(processSpeedup([slow, fast])).toBe(processSpeedup([fast, slow]));
    const h = hierarchicalRatioOfMedians([fast, slow], { seed: 2 });
    expect(h.lo).toBeLessThan(h.ratio);
    expect(h.hi).toBeGreaterThan(h.ratio);
    expect(h.lo).toBeGreaterThanOrEqual(1.5 / 0.44 - 1e-9);
    expect(h.hi).toBeLessThanOrEqual(1.5 / 0.3 + 1e-9);
  });

  it('splits a stored size into its processes by their rounds, and falls back to one block when they do not add up', () => {
    const size = (rounds: number[]): SizeResult => ({
      backend: 'cpu', size: 's', params: {}, magnitude: 1, status: 'ok', cost: { flops: 1, bytesUnfused: 1, bytesFused: 1, intermediateBytes: 0 },
      unfused: { throughputMs: 1, latencyMs: 1, p10Ms: 1, p90Ms: 1, samplesMs: [1, 2, 3, 4, 5], kernels: [], bytesAllocated: 0, gflops: 0, gbps: 0 },
      fused: { throughputMs: 1, latencyMs: 1, p10Ms: 1, p90Ms: 1, samplesMs: [6, 7, 8, 9, 10], kernels: [], bytesAllocated: 0, gflops: 0, gbps: 0 },
      processes: rounds.map((r) => ({ rounds: r, unfusedMs: 1, fusedMs: 1, speedup: 1 })),
    });
    expect(processBlocks(size([2, 3]))).toEqual([{ a: [1, 2], b: [6, 7] }, { a: [3, 4, 5], b: [8, 9, 10] }]);
    expect(processBlocks(size([2, 2]))).toEqual([{ a: [1, 2, 3, 4, 5], b: [6, 7, 8, 9, 10] }]);
  });

  it('a geometric-mean CI brackets its point estimate and narrows with more rounds', () => {
    const rand = seededRandom(11);
    const noisy = (n: number, med: number) => Array.from({ length: n }, () => med * Math.exp(0.1 * (rand() - 0.5)));
    const width = (n: number) => {
      const a = hierarchicalReplicates([{ a: noisy(n, 1.3), b: noisy(n, 1) }], 1000, 1);
      const b = hierarchicalReplicates([{ a: noisy(n, 2.0), b: noisy(n, 1) }], 1000, 2);
      const g = aggregateOf(Math.sqrt(1.3 * 2.0), geomeanReplicates([a, b]), 0.95);
      expect(g.lo).toBeLessThan(g.ratio);
      expect(g.hi).toBeGreaterThan(g.ratio);
      return g.hi - g.lo;
    };
    expect(width(80)).toBeLessThan(width(8));
  });
});
