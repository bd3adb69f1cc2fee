import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostModel } from '../../harness/costmodel/cost-model.ts';
import { profileFromResults } from '../../harness/calibration/profile.ts';
import { fakeResults } from '../calibration/fixtures/results.ts';

const profile = profileFromResults(fakeResults('cpu', [
  // 1.0× at 100 elements, 1.2× at 10 000: crosses 1.1× at 1000 in log-size
  { id: 'Conv2d_BN', sizes: [{ magnitude: 100, speedup: 1.0, lo: 0.9, hi: 1.1 }, { magnitude: 10_000, speedup: 1.2, lo: 1.05, hi: 1.3 }] },
  { id: 'Linear_Bias_ReLU', sizes: [{ magnitude: 64, speedup: 1.1 }, { magnitude: 4096, speedup: 1.1 }, { magnitude: 512, speedup: 1.1 }] },
  { id: 'Attention_SDPA', sizes: [{ magnitude: 100, speedup: 3.0 }, { magnitude: 1000, speedup: 4.0, correct: false }] },
  { id: 'QKT', sizes: [{ magnitude: 100, speedup: 1, error: 'Error: unsupported' }] },
]), 'cpu', { hardware: 'box' });

const path = join(mkdtempSync(join(tmpdir(), 'fb-cm-')), 'box-cpu.json');
writeFileSync(path, JSON.stringify(profile));
const model = CostModel.fromProfile(path);

describe('CostModel.fusionBenefit', () => {
  it('without a size: the summary speedup (median over sizes)', () => {
    expect(model.fusionBenefit('Conv2d_BN')).toMatchObject({ pattern: 'Conv2d_BN', speedup: 1.1, basis: 'summary', extrapolated: false });
  });
  it('with a size: interpolated in log-size, with its CI', () => {
    const b = model.fusionBenefit('Conv2d_BN', 1000);
    expect(b.basis).toBe('interpolated');
    expect(b.speedup).toBeCloseTo(1.1, 12);
    expect(b.ci?.[0]).toBeCloseTo(0.975, 12);
  });
  it('outside the measured sizes: nearest point, flagged', () => {
    expect(model.fusionBenefit('Conv2d_BN', 1e6)).toMatchObject({ speedup: 1.2, extrapolated: true, basis: 'extrapolated' });
    expect(model.fusionBenefit(['Conv2d', 'BN'], 1)).toMatchObject({ speedup: 1.0, extrapolated: true, query: 'Conv2d+BN' });
  });
  it('an unknown pattern, or one with no measured size, gives the caller\'s default', () => {
    expect(model.fusionBenefit('Nope', 100, { default: 1.7 })).toMatchObject({ pattern: undefined, speedup: 1.7, basis: 'default' });
    expect(model.fusionBenefit('Nope').speedup).toBe(1);
    expect(model.fusionBenefit('QKT', 100, { default: 1.3 })).toMatchObject({ pattern: 'QKT', speedup: 1.3, basis: 'default' });
  });
  it('a pattern whose fused result was wrong at any size is worth 0, at every size', () => {
    expect(model.fusionBenefit('Attention_SDPA', 100)).toMatchObject({ speedup: 0, basis: 'incorrect', from: ['n=1000'] });
  });
});

describe('CostModel.shouldFuse', () => {
  it('fuses at and above the threshold (default 1.1×), not below', () => {
    expect(model.shouldFuse('Linear_Bias_ReLU')).toBe(true); // exactly 1.1
    expect(model.shouldFuse('Conv2d_BN', { size: 1000 })).toBe(model.fusionBenefit('Conv2d_BN', 1000).speedup >= 1.1);
    expect(model.shouldFuse('Conv2d_BN', { size: 999 })).toBe(false);
    expect(model.shouldFuse('Conv2d_BN', { size: 1001 })).toBe(true);
    expect(model.shouldFuse('Conv2d_BN', { size: 10_000 })).toBe(true);
    expect(model.shouldFuse('Conv2d_BN', { size: 100 })).toBe(false);
  });
  it('honours the caller\'s threshold', () => {
    expect(model.shouldFuse('Conv2d_BN', { size: 10_000, threshold: 1.25 })).toBe(false);
    expect(model.shouldFuse('Conv2d_BN', { size: 100, threshold: 0.95 })).toBe(true);
  });
  it('takes op lists', () => {
    expect(model.shouldFuse(['Conv2d', 'BN'], { size: 10_000 })).toBe(true);
    expect(model.shouldFuse(['MatMul', 'BiasAdd', 'Relu'])).toBe(true);
  });
  it('conservative mode judges the CI lower bound', () => {
    expect(model.shouldFuse('Conv2d_BN', { size: 10_000 })).toBe(true);
    expect(model.shouldFuse('Conv2d_BN', { size: 10_000, conservative: true })).toBe(false); // lo = 1.05
  });
  it('never fuses an incorrect kernel, whatever the default or threshold', () => {
    expect(model.shouldFuse('Attention_SDPA', { size: 100, threshold: 0 })).toBe(false);
  });
  it('unknown patterns follow the caller\'s default', () => {
    expect(model.shouldFuse('Nope')).toBe(false);
    expect(model.shouldFuse('Nope', { default: 1.5 })).toBe(true);
  });
  it('explains itself', () => {
    expect(model.decide(['Conv2d', 'BN'], { size: 1e6 }).reason)
      .toBe('Conv2d+BN → Conv2d_BN: 1.20× (extrapolated from n=10000) ≥ 1.10×: fuse');
    expect(model.decide('Attention_SDPA').reason).toBe('Attention_SDPA: fused result incorrect at n=1000: do not fuse');
  });
});
