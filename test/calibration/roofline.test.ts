import { describe, expect, it } from 'vitest';
import { renderRoofline, rooflinePoint, roofsFromProfiles } from '../../harness/report/roofline.ts';
import type { RunResults, VariantStats } from '../../harness/core/types.ts';
import { fakeCeilings, fakeResults } from './fixtures/results.ts';

const v = (ms: number, deviceMs?: number): VariantStats => ({
  throughputMs: ms, latencyMs: ms, p10Ms: ms, p90Ms: ms, samplesMs: [ms], kernels: [], bytesAllocated: 0, gflops: 0, gbps: 0,
  ...(deviceMs === undefined ? {} : { deviceMs }),
});

describe('rooflinePoint', () => {
  const roofs = { gflops: 120, gbps: 10 }; // ridge at 12 FLOP/byte
  it('left of the ridge: memory-bound, roof = OI × bandwidth, share of the bandwidth ceiling', () => {
    const p = rooflinePoint(1e9, 1e9, v(200), roofs); // OI 1; 5 GFLOP/s, 5 GB/s
    expect(p).toMatchObject({ intensity: 1, bound: 'memory', attainableGflops: 10, time: 'wall' });
    expect(p.achievedGflops).toBeCloseTo(5, 12);
    expect(p.achievedGbps).toBeCloseTo(5, 12);
    expect(p.fractionOfRoof).toBeCloseTo(0.5, 12);
  });
  it('right of the ridge: compute-bound, roof = compute ceiling, share of it', () => {
    const p = rooflinePoint(24e9, 1e9, v(400), roofs); // OI 24; 60 GFLOP/s
    expect(p).toMatchObject({ intensity: 24, bound: 'compute', attainableGflops: 120 });
    expect(p.fractionOfRoof).toBeCloseTo(0.5, 12);
  });
  it('uses the kernel time where the backend reports one', () => {
    const p = rooflinePoint(24e9, 1e9, v(400, 200), roofs);
    expect(p.time).toBe('kernel');
    expect(p.achievedGflops).toBeCloseTo(120, 9);
  });
});

describe('renderRoofline', () => {
  // fixture cost: flops = 128·m, bytes unfused 12·m (OI 10.7), fused 8·m (OI 16)
  const cpu = fakeResults('cpu', [{ id: 'Linear_Bias', sizes: [{ magnitude: 1000, speedup: 2 }, { magnitude: 10, speedup: 1, error: 'boom' }] }]);
  const wasm = fakeResults('wasm', [{ id: 'Linear_Bias', sizes: [{ magnitude: 1000, speedup: 2, correct: false }] }]);
  const both: RunResults = { ...cpu, patterns: [{ ...cpu.patterns[0], results: [...cpu.patterns[0].results, ...wasm.patterns[0].results] }] };
  const md = renderRoofline(both, { cpu: { gflops: 120, gbps: 10 } });

  it('places unfused and fused against the ceilings, naming the bound that applies', () => {
    expect(md).toMatch(/^## Roofline/);
    expect(md).toContain('### cpu');
    expect(md).toContain('Ceilings: 120 GFLOP/s compute, 10.0 GB/s memory; ridge at 12.0 FLOP/byte.');
    const row = md.split('\n').find((l) => l.startsWith('| Linear_Bias'))!.replace(/ +/g, ' ');
    // OI 10.67 → 16; memory → compute; roof 106.7 → 120; achieved 0.128 → 0.256 GFLOP/s; 0.012 → 0.016 GB/s
    expect(row).toBe('| Linear_Bias | n=1000 | 10.7 → 16.0 | memory → compute | 107 → 120 | 0.13 → 0.26 | 0.01 → 0.02 | 0.1% → 0.2% | wall |');
  });
  it('skips failed sizes and names backends without ceilings', () => {
    expect(md).not.toContain('n=10 ');
    expect(md).toContain('No measured ceilings for: wasm');
  });
  it('flags a fused point whose result was incorrect', () => {
    const w = renderRoofline(both, { wasm: { gflops: 120, gbps: 10 } });
    expect(w).toContain('(✗ incorrect)');
  });
  it('takes roofs from loaded profiles', () => {
    expect(roofsFromProfiles([{ backend: 'cpu', ceilings: fakeCeilings(50, 5) }, { backend: 'wasm' }])).toEqual({ cpu: { gflops: 50, gbps: 5 } });
    // kernel-timed roofs win where measured, to match kernel-timed points
    const gpu = { ...fakeCeilings(20000, 600), kernel: { matmul_gflops: 25000, bandwidth_gbps: 900 } };
    expect(roofsFromProfiles([{ backend: 'webgpu', ceilings: gpu }])).toEqual({ webgpu: { gflops: 25000, gbps: 900 } });
  });
});
