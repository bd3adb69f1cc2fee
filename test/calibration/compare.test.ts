import { describe, expect, it } from 'vitest';
import { renderComparison } from '../../harness/calibration/compare.ts';
import { patternDecision } from '../../harness/calibration/decision.ts';
import { parseCalibration } from '../../harness/calibration/load.ts';
import { profileFromResults } from '../../harness/calibration/profile.ts';
import { fakeCeilings, fakeResults } from './fixtures/results.ts';

const cpu = parseCalibration(profileFromResults(fakeResults('cpu', [
  { id: 'Conv2d_BN', sizes: [{ magnitude: 100, speedup: 1.02 }, { magnitude: 1000, speedup: 1.08 }] },
  { id: 'Linear_Bias', sizes: [{ magnitude: 100, speedup: 0.99 }, { magnitude: 1000, speedup: 1.2 }, { magnitude: 10_000, speedup: 1.3 }] },
  { id: 'Attention_SDPA', sizes: [{ magnitude: 100, speedup: 0.6 }, { magnitude: 1000, speedup: 0.7 }] },
  { id: 'LayerNorm', sizes: [{ magnitude: 100, speedup: 2, correct: false }] },
]), 'cpu', { hardware: 'i7', ceilings: fakeCeilings(50, 20), peakGflops: 1000 }), 'cpu.json');

const gpu = parseCalibration(profileFromResults(fakeResults('webgpu', [
  { id: 'Conv2d_BN', sizes: [{ magnitude: 100, speedup: 2.0 }, { magnitude: 1000, speedup: 3.0 }] },
  { id: 'Linear_Bias', sizes: [{ magnitude: 100, speedup: 1.6 }] },
  { id: 'Attention_SDPA', sizes: [{ magnitude: 100, speedup: 4.0 }] },
  { id: 'QKT', sizes: [{ magnitude: 100, speedup: 1.5 }] },
], 'gpu'), 'webgpu', { hardware: 'H100' }), 'gpu.json');

const md = renderComparison(cpu, gpu, { threshold: 1.1 });
/** A table row with its padding collapsed to single spaces. */
const row = (id: string): string => (md.split('\n').find((l) => l.startsWith(`| ${id} `)) ?? '').replace(/ +/g, ' ');

describe('patternDecision', () => {
  it('fuse, avoid, conditional (with the sizes), incorrect, not measured', () => {
    expect(patternDecision(gpu.getFusionPattern('Conv2d_BN'), 1.1).text).toBe('fuse');
    // fixture CIs are ±5%: 1.08× → [1.03, 1.13] holds 1.10×, and the text says so
    expect(patternDecision(cpu.getFusionPattern('Conv2d_BN'), 1.1).text).toBe('avoid (CI holds 1.10× at 1 of 2 sizes)');
    expect(patternDecision(cpu.getFusionPattern('Attention_SDPA'), 1.1).text).toBe('avoid');
    expect(patternDecision(cpu.getFusionPattern('Linear_Bias'), 1.1).text).toBe('conditional: fuse from n=1000');
    expect(patternDecision(cpu.getFusionPattern('LayerNorm'), 1.1)).toEqual({ kind: 'incorrect', text: 'avoid (✗ incorrect at n=100)' });
    expect(patternDecision(undefined, 1.1).kind).toBe('unmeasured');
  });
});

describe('renderComparison', () => {
  it('names both profiles, their devices and measured ceilings', () => {
    expect(md).toMatch(/^# Fusion calibration: i7 · cpu vs H100 · webgpu/);
    expect(md).toContain('cpu.json');
    expect(md).toContain('50.00 GFLOP/s (matMul 512×512)');
    expect(md).toContain('1000 GFLOP/s (measured ceiling is 5% of it)');
    expect(md).toMatch(/Bandwidth ceiling \(measured\) \| 20\.00 GB\/s .*\| not measured/);
  });
  it('gives each pattern\'s speedup and decision on each, and the ratio', () => {
    expect(row('Conv2d_BN')).toBe('| Conv2d_BN | 1.05× (1.02–1.08×, 2 sizes) | avoid (CI holds 1.10× at 1 of 2 sizes) | 2.50× (2.00–3.00×, 2 sizes) | fuse | 2.38× | **no** |');
    expect(row('Attention_SDPA')).toMatch(/0\.65× .*\| avoid .*\| 4\.00× \(1 size\) \| fuse/);
    expect(row('Linear_Bias')).toContain('conditional: fuse from n=1000');
  });
  it('an incorrect pattern is avoided and gets no ratio; a pattern only one side measured says so', () => {
    expect(row('LayerNorm')).toBe('| LayerNorm | 2.00× (1 size) | avoid (✗ incorrect at n=100) | — | not measured | — | — |');
    expect(row('QKT')).toBe('| QKT | — | not measured | 1.50× (1 size) | fuse | — | — |');
  });
  it('counts the patterns whose decision differs', () => {
    expect(md).toContain('Decisions differ for 3 of 5 pattern(s): Attention_SDPA, Conv2d_BN, Linear_Bias.');
  });
});
