import { describe, expect, it } from 'vitest';
import { estimateAtSize, type SizePoint } from '../../harness/costmodel/interpolate.ts';

const pt = (magnitude: number, speedup: number, label = `m${magnitude}`): SizePoint => ({ magnitude, speedup, lo: speedup - 0.1, hi: speedup + 0.1, label });
const points = [pt(10_000, 2.0), pt(100, 1.0), pt(1_000_000, 3.0)];

describe('estimateAtSize: linear in log(size) between measured sizes', () => {
  it('a measured size answers its own speedup', () => {
    expect(estimateAtSize(points, 10_000)).toMatchObject({ speedup: 2, basis: 'measured', extrapolated: false, from: ['m10000'] });
  });
  it('the geometric midpoint is the arithmetic mean of the two speedups', () => {
    const e = estimateAtSize(points, 1000);
    expect(e.basis).toBe('interpolated');
    expect(e.extrapolated).toBe(false);
    expect(e.speedup).toBeCloseTo(1.5, 12);
    expect(e.from).toEqual(['m100', 'm10000']);
  });
  it('a quarter of the way in log space is a quarter of the way in speedup, CI included', () => {
    const size = 100 * 100 ** 0.25; // log10 = 2.5 between 2 and 4
    const e = estimateAtSize(points, size);
    expect(e.speedup).toBeCloseTo(1.25, 12);
    expect(e.ci[0]).toBeCloseTo(1.15, 12);
    expect(e.ci[1]).toBeCloseTo(1.35, 12);
    // linear in size (not log) would give ~1.03 here: the test tells the two apart
    expect(Math.abs(e.speedup - (1 + (size - 100) / (10_000 - 100)))).toBeGreaterThan(0.2);
  });
  it('between the upper pair too', () => {
    expect(estimateAtSize(points, 100_000).speedup).toBeCloseTo(2.5, 12);
  });
  it('outside the measured range: the nearest measured point, flagged extrapolated', () => {
    expect(estimateAtSize(points, 5)).toMatchObject({ speedup: 1, basis: 'extrapolated', extrapolated: true, from: ['m100'] });
    expect(estimateAtSize(points, 1e9)).toMatchObject({ speedup: 3, basis: 'extrapolated', extrapolated: true, from: ['m1000000'] });
  });
  it('one measured size: exact there, extrapolated elsewhere', () => {
    expect(estimateAtSize([pt(64, 1.4)], 64).basis).toBe('measured');
    expect(estimateAtSize([pt(64, 1.4)], 65)).toMatchObject({ speedup: 1.4, extrapolated: true });
  });
  it('two sizes with one magnitude are averaged', () => {
    const e = estimateAtSize([pt(100, 1.0, 'a'), pt(100, 2.0, 'b'), pt(1000, 3.0)], 100);
    expect(e.speedup).toBeCloseTo(1.5, 12);
    expect(e.from).toEqual(['a + b']);
  });
  it('refuses sizes that have no logarithm', () => {
    expect(() => estimateAtSize(points, 0)).toThrow(RangeError);
    expect(() => estimateAtSize(points, -3)).toThrow(/positive/);
    expect(() => estimateAtSize(points, Number.NaN)).toThrow(/positive/);
    expect(() => estimateAtSize([], 10)).toThrow(/no measured sizes/);
  });
});
