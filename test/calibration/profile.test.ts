import { describe, expect, it } from 'vitest';
import { profileFromResults } from '../../harness/calibration/profile.ts';
import { assertValidCalibration } from '../../harness/calibration/validate.ts';
import { fakeCeilings, fakeResults } from './fixtures/results.ts';

const results = fakeResults('cpu', [
  { id: 'Linear_Bias', sizes: [{ magnitude: 4096, speedup: 1.3 }, { magnitude: 64, speedup: 0.9 }, { magnitude: 1024, speedup: 1.1 }] },
  { id: 'Conv2d_BN', sizes: [{ magnitude: 100, speedup: 2 }, { magnitude: 1000, speedup: 2.2, correct: false }] },
  { id: 'QKT', sizes: [{ magnitude: 10, speedup: 1.2 }, { magnitude: 100, speedup: 1, error: 'RangeError: out of memory' }] },
  { id: 'Add_ReLU', sizes: [{ magnitude: 10, speedup: 1, error: 'Error: kernel not registered' }] },
]);

describe('profileFromResults', () => {
  const profile = profileFromResults(results, 'cpu', { hardware: 'test-box', peakGflops: 1000, peakBandwidth: 50, ceilings: fakeCeilings() });

  it('keeps hardware, backend, device, theoretical peaks and measured ceilings', () => {
    expect(profile.schema).toBe('fusebench/calibration@1');
    expect(profile.hardware).toBe('test-box');
    expect(profile.backend).toBe('cpu');
    expect(profile.backend_kind).toBe('cpu');
    expect(profile.device?.description).toBe('cpu test device');
    expect(profile.theoretical_peak_gflops).toBe(1000);
    expect(profile.theoretical_bandwidth_gbps).toBe(50);
    expect(profile.ceilings?.matmul_gflops).toBe(100);
  });

  it('lists sizes by magnitude with times, speedup and CI, memory reduction and GFLOP/s', () => {
    const p = profile.fusion_profiles.Linear_Bias;
    expect(p.sizes.map((s) => s.magnitude)).toEqual([64, 1024, 4096]);
    const s = p.sizes[2];
    expect(s.unfused_ms).toBe(1);
    expect(s.fused_ms).toBeCloseTo(1 / 1.3, 12);
    expect(s.speedup).toBe(1.3);
    expect(s.speedup_ci[0]).toBeCloseTo(1.3 * 0.95, 12);
    expect(s.speedup_ci[1]).toBeCloseTo(1.3 * 1.05, 12);
    expect(s.memory_reduction).toBeCloseTo(1 / 3, 12);
    expect(s.unfused_gflops).toBeCloseTo((2 * 4096 * 64) / 1e6, 9);
    expect(s.fused_gflops).toBeCloseTo((2 * 4096 * 64 * 1.3) / 1e6, 9);
  });

  it('summarises each pattern by the median speedup over its measured sizes, with the range', () => {
    const p = profile.fusion_profiles.Linear_Bias;
    expect(p.speedup_factor).toBe(1.1);
    expect(p.speedup_range).toEqual([0.9, 1.3]);
    expect(p.speedup_basis).toBe('median over the measured sizes');
    expect(p.verdict).toBe('✓ Moderate benefit');
    expect(p.correct).toBe(true);
  });

  it('marks a pattern incorrect when its fused result failed the check at any size', () => {
    const p = profile.fusion_profiles.Conv2d_BN;
    expect(p.correct).toBe(false);
    expect(p.verdict).toBe('✗ Incorrect');
    expect(p.sizes[1].fused_correct).toBe(false);
  });

  it('keeps failed sizes apart, with their error; a pattern with none measured has null summaries', () => {
    expect(profile.fusion_profiles.QKT.sizes).toHaveLength(1);
    expect(profile.fusion_profiles.QKT.failed_sizes).toEqual([{ size: 'n=100', magnitude: 100, params: { n: 100 }, error: 'RangeError: out of memory' }]);
    const none = profile.fusion_profiles.Add_ReLU;
    expect(none.speedup_factor).toBeNull();
    expect(none.speedup_range).toBeNull();
    expect(none.verdict).toBeNull();
  });

  it('produces a document that its own schema accepts, also after a JSON round trip', () => {
    expect(() => assertValidCalibration(profile, 'built')).not.toThrow();
    expect(() => assertValidCalibration(JSON.parse(JSON.stringify(profile)), 'round trip')).not.toThrow();
  });

  it('defaults the hardware name to the CPU model (cpu backends) or the GPU name (gpu backends)', () => {
    expect(profileFromResults(results, 'cpu').hardware).toBe('Test CPU');
    const gpu = fakeResults('webgpu', [{ id: 'QKT', sizes: [{ magnitude: 10, speedup: 3 }] }], 'gpu');
    const gp = profileFromResults(gpu, 'webgpu');
    expect(gp.hardware).toBe('Test GPU');
    expect(gp.fusion_profiles.QKT.prediction).toEqual({ min: 1.5, max: 2, source: 'test' });
    expect(gp.theoretical_peak_gflops).toBeUndefined();
    expect(gp.ceilings).toBeUndefined();
  });

  it('refuses a backend the results do not have, naming the ones they do', () => {
    expect(() => profileFromResults(results, 'wasm')).toThrow(/no backend "wasm".*cpu/);
  });
});
