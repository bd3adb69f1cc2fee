/** Coverage, Amdahl, bootstraps and the fusion planner, on fixed data. */
import { describe, expect, it } from 'vitest';
import { amdahl, amdahlParts, bootstrapGeomean, bootstrapStatistic, geomean, opCoverage } from '../../harness/pipeline/math.ts';
import { planPipeline, referencePipeline } from '../../harness/pipeline/ops.ts';
import { roundOrder } from '../../harness/pipeline/sampler.ts';
import imagePipeline from '../../suites/pipelines/image.pipeline.ts';
import neuralPipeline from '../../suites/pipelines/neural-layer.pipeline.ts';

describe('Amdahl', () => {
  it('matches hand-computed values', () => {
    expect(amdahl(0, 3)).toBe(1);
    expect(amdahl(1, 1.77)).toBeCloseTo(1.77, 12);
    // The study's own inputs (c = 20%, s = 1.77×) give 1.095×, not the 1.13× it printed.
    expect(amdahl(0.2, 1.77)).toBeCloseTo(1 / (0.8 + 0.2 / 1.77), 12);
    expect(amdahl(0.2, 1.77)).toBeCloseTo(1.0953, 4);
    expect(amdahl(0.5, 2)).toBeCloseTo(4 / 3, 12);
    expect(amdahlParts([{ coverage: 0.25, speedup: 2 }, { coverage: 0.25, speedup: 2 }])).toBeCloseTo(amdahl(0.5, 2), 12);
    expect(() => amdahl(1.2, 2)).toThrow(/coverage must be in \[0, 1\]/);
    expect(() => amdahlParts([{ coverage: 0.7, speedup: 2 }, { coverage: 0.7, speedup: 2 }])).toThrow(/add up to 1.4/);
  });

  it('op coverage counts stages in fused groups, and stages removed (the study\'s 1 of 5)', () => {
    const image = planPipeline(imagePipeline.stages);
    expect(opCoverage(5, image.groups)).toEqual({ opShare: 0.4, opsRemovedShare: 0.2 });
    const neural = planPipeline(neuralPipeline.stages);
    const c = opCoverage(3, neural.groups);
    expect(c.opShare).toBeCloseTo(2 / 3, 12);
    expect(c.opsRemovedShare).toBeCloseTo(1 / 3, 12);
  });
});

describe('bootstraps over rounds', () => {
  it('a constant statistic has a zero-width interval; a ratio is median/median', () => {
    const a = [10, 10, 10, 10, 10];
    const b = [5, 5, 5, 5, 5];
    expect(bootstrapStatistic([a, b], (m) => m[0] / m[1])).toEqual({ ratio: 2, lo: 2, hi: 2 });
    const noisy = bootstrapStatistic([[10, 12, 8, 11, 9, 10], [5, 5, 5, 5, 5, 5]], (m) => m[0] / m[1], { resamples: 500 });
    expect(noisy.ratio).toBe(2);
    expect(noisy.lo).toBeLessThan(2);
    expect(noisy.hi).toBeGreaterThan(2);
    expect(() => bootstrapStatistic([[1, 2], [1]], (m) => m[0])).toThrow(/same, non-zero number of rounds/);
  });

  it('the joint geometric mean of per-size ratios', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
    const g = bootstrapGeomean([
      { samples: [[4, 4, 4], [2, 2, 2]], statistic: (m) => m[0] / m[1] },
      { samples: [[8, 8, 8], [1, 1, 1]], statistic: (m) => m[0] / m[1] },
    ]);
    expect(g.ratio).toBeCloseTo(4, 12);
    expect(g.lo).toBeCloseTo(4, 12);
    expect(g.hi).toBeCloseTo(4, 12);
  });

  it('rotates and alternates the order of variants every round', () => {
    expect(roundOrder(3, 0)).toEqual([0, 1, 2]);
    expect(roundOrder(3, 1)).toEqual([0, 2, 1]);
    expect(roundOrder(3, 2)).toEqual([2, 0, 1]);
  });
});

describe('fusion planner', () => {
  const stage = (name: string, op: 'tadd' | 'tmul' | 'tmin' | 'tmax' | 'tnot', inputs: string[], out: string, fused?: string) => ({ name, op, inputs, out, ...(fused ? { fused } : {}) });

  it('turns tadd → tnot into TernaryNotBinary and binary → binary into TernaryFused3', () => {
    const image = planPipeline(imagePipeline.stages, ['image', 'weights', 'bias', 'threshold', 'gain']);
    expect(image.groups).toHaveLength(1);
    expect(image.groups[0]).toMatchObject({ call: { kernel: 'TernaryNotBinary', op: 'tadd' }, inputs: ['conv', 'bias'], out: 'activated', indices: [1, 2] });
    expect(image.fused.map((s) => s.kind)).toEqual(['stage', 'group', 'stage', 'stage']);
    const p3 = planPipeline([stage('m', 'tmul', ['a', 'b'], 't', 'g'), stage('s', 'tadd', ['c', 't'], 'y', 'g')]);
    expect(p3.groups[0]).toMatchObject({ call: { kernel: 'TernaryFused3', inner: 'tmul', outer: 'tadd' }, inputs: ['a', 'b', 'c'] });
  });

  it('refuses what it cannot fuse, saying why', () => {
    expect(() => planPipeline([stage('a', 'tadd', ['x', 'y'], 't', 'g'), stage('b', 'tnot', ['t'], 'u'), stage('c', 'tnot', ['u'], 'v', 'g')]))
      .toThrow(/fusion group "g" is not made of consecutive stages/);
    expect(() => planPipeline([stage('a', 'tadd', ['x', 'y'], 't', 'g'), stage('b', 'tnot', ['t'], 'u', 'g'), stage('c', 'tmul', ['t', 'u'], 'v')]))
      .toThrow(/"t" is used after the group/);
    expect(() => planPipeline([stage('a', 'tnot', ['x'], 't', 'g'), stage('b', 'tnot', ['t'], 'u', 'g')]))
      .toThrow(/must be one of tadd, tmul, tmin, tmax/);
    expect(() => planPipeline([stage('a', 'tadd', ['x', 'y'], 't', 'g'), stage('b', 'tnot', ['x'], 'u', 'g')]))
      .toThrow(/does not consume "t"/);
    expect(() => planPipeline([stage('a', 'tadd', ['x', 'nope'], 't')], ['x'])).toThrow(/reads "nope", which is neither a pipeline input/);
  });

  it('the pipeline reference follows the stages', () => {
    const plan = planPipeline(imagePipeline.stages);
    const v = (xs: number[]) => ({ shape: [xs.length], data: Float64Array.from(xs) });
    const out = referencePipeline(plan, { image: v([1, 1, -1]), weights: v([1, -1, 1]), bias: v([1, 1, 0]), threshold: v([1, 1, 1]), gain: v([1, 1, -1]) });
    // conv = [1,-1,-1]; biased = clamp(+bias) = [1,0,-1]; act = [-1,0,1]; thr = min(act,1) = [-1,0,1]; × gain = [-1,0,-1]
    expect(Array.from(out.data, (x) => x + 0)).toEqual([-1, 0, -1]);
  });
});
