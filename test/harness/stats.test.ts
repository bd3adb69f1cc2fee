import { describe, expect, it } from 'vitest';
import { bootstrapRatioOfMedians, median, quantile, seededRandom } from '../../harness/core/stats.ts';

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
