/** renderTorchComparison on fixed data: ratios, the ≥ 50 µs scope, the 1.3× check and the measured cause of a miss. */
import { describe, expect, it } from 'vitest';
import { gapCause, parseTorchReference, renderTorchComparison, type TorchReference } from '../../harness/report/torch.ts';
import type { RunResults, SizeResult, VariantStats } from '../../harness/core/types.ts';

const variant = (deviceMs: number, kernels: string[]): VariantStats => ({
  throughputMs: deviceMs + 0.02, latencyMs: deviceMs + 0.02, p10Ms: deviceMs, p90Ms: deviceMs + 0.04, samplesMs: [deviceMs], deviceMs, kernels, bytesAllocated: 0, gflops: 0, gbps: 0,
});

const size = (label: string, params: Record<string, number>, unfusedMs: number, fusedMs: number, cost: SizeResult['cost']): SizeResult => ({
  backend: 'cuda', size: label, params, magnitude: 1, status: 'ok', cost,
  unfused: variant(unfusedMs, ['Add', 'Relu']), fused: variant(fusedMs, ['FusebenchAddRelu']),
});

// 16M floats: unfused moves 5 × 64 MiB, fused 3 × 64 MiB; 2 FLOPs per element.
const n = 16 * 2 ** 20;
const big = { flops: 2 * n, bytesUnfused: 20 * n, bytesFused: 12 * n, intermediateBytes: 4 * n };
const results = {
  schema: 'fusebench/results@1', createdAt: '2026-01-01T00:00:00Z', command: 'fusebench run --backend cuda', quick: false,
  machine: { hostname: 'h', cpuModel: 'c', cores: 1, memoryGiB: 1, os: 'linux', node: 'v20', tfjs: '4.22.0' },
  sampling: { rounds: 1, warmup: 1, bootstrap: 1, timing: 'x' }, backends: [],
  patterns: [{
    id: 'Add_ReLU', family: 'norm', title: 'Add + ReLU', file: 'x', fusedBy: 'fusebench kernel', standsFor: [], notes: [],
    predictions: { cpu: { min: 1, max: 2, source: 's' }, gpu: { min: 1, max: 2, source: 's' } },
    results: [
      size('8×8×64', { h: 8, w: 8, c: 64 }, 0.01, 0.008, { flops: 8192, bytesUnfused: 81920, bytesFused: 49152, intermediateBytes: 16384 }),
      size('256×256×256', { h: 256, w: 256, c: 256 }, 0.12, 0.5, big),
    ],
  }],
} as unknown as RunResults;

const torch: TorchReference = {
  schema: 'fusebench/torch-reference@3', createdAt: '2026-01-01T00:00:00Z', command: 'python3 bench/torch-reference.py --sizes s.json --out t.json',
  machine: { gpu: 'GPU X', torch: '2.11.0', cuda: '13.0' }, timing: 'events around 100 calls; graph replay',
  results: [
    { id: 'Add_ReLU', label: '8×8×64', params: { h: 8, w: 8, c: 64 }, eager: { throughputMs: 0.012, graphMs: 0.003 }, compiled: { throughputMs: 0.009, graphMs: 0.002 } },
    {
      id: 'Add_ReLU', label: '256×256×256', params: { h: 256, w: 256, c: 256 }, eager: { throughputMs: 0.1, graphMs: 0.09 },
      compiled: { throughputMs: 0.09, graphMs: 0.08 }, fusedOp: { name: 'aten._add_relu', throughputMs: 0.085, graphMs: 0.082 },
    },
    { id: 'LayerNorm', label: '8×768', params: { t: 8, d: 768 }, eager: { throughputMs: 0.02, graphMs: 0.01 }, compiled: { throughputMs: 0.01, graphMs: 0.005 } },
  ],
  skipped: { Foo: 'no PyTorch formulation' },
};

describe('renderTorchComparison', () => {
  const md = renderTorchComparison(results, torch, { gbps: 3000, gflops: 50000 });

  it('pairs sizes by params and puts our throughput beside PyTorch\'s and our device time beside its graph replay', () => {
    expect(md).toContain('### Add_ReLU');
    expect(md).not.toContain('### LayerNorm');
    // ours: unfused thr 0.14, fused thr 0.52, fused device 0.5; PyTorch best thr 0.085 (fused op), best graph 0.08 (compiled)
    expect(md).toMatch(/\| 256×256×256 +\| +0\.140 \| +0\.100 \| +0\.520 \| +0\.0850 \(aten\._add_relu\) \| +6\.12× \| +0\.500 \| +0\.0800 \(compiled\) \| +6\.25× \| ✗ 6\.25× +\|/);
  });

  it('leaves sizes where PyTorch\'s graph time is under 5 µs out of the 1.15× check', () => {
    expect(md).toMatch(/\| 8×8×64 +\|.*— \(< 5 µs\) \|/);
    expect(md).toContain('**0 of 1** fused sizes where PyTorch\'s graph time is ≥ 5 µs are within 1.15× of it (2 sizes compared).');
  });

  it('names the cause of a miss from the cost model against the ceilings', () => {
    // fused: 12·16M bytes in 0.5 ms = 403 GB/s = 13 % of 3000 GB/s; PyTorch's 0.08 ms is 84 %.
    expect(md).toContain('- **Add_ReLU 256×256×256**: fused device 0.500 ms vs PyTorch compiled graph 0.0800 ms; memory-bound');
    expect(md).toContain('403 GB/s = 13% of 3000 GB/s (PyTorch 84%)');
    expect(md).toContain('PyTorch side not measured: Foo (no PyTorch formulation).');
  });

  it('calls a product above the ridge compute-bound and flags launch-bound calls', () => {
    const c = gapCause({ flops: 2e9, bytesUnfused: 1e7, bytesFused: 1e7, intermediateBytes: 0 }, 'fused', 0.2, 0.1, 1, { gbps: 3000, gflops: 50000 });
    expect(c).toMatch(/^compute-bound \(200 FLOP\/B ≥ ridge 16\.7\): 10000 GFLOP\/s = 20% of 50000 GFLOP\/s \(PyTorch 40%\)$/);
    const l = gapCause({ flops: 1e3, bytesUnfused: 1e5, bytesFused: 1e5, intermediateBytes: 0 }, 'unfused', 0.06, 0.02, 4, { gbps: 3000, gflops: 50000 });
    expect(l).toMatch(/× the roofline floor .* over 4 kernels: launch\/latency/);
  });

  it('says so when nothing pairs up', () => {
    expect(renderTorchComparison(results, { ...torch, results: [] }, { gbps: 1, gflops: 1 })).toContain('No size was measured by both');
  });
});

describe('parseTorchReference', () => {
  it('names the file and the field that is wrong', () => {
    expect(() => parseTorchReference('{', 't.json')).toThrow(/t\.json: not JSON/);
    expect(() => parseTorchReference('{"schema":"x"}', 't.json')).toThrow(/t\.json: field "schema"/);
    expect(() => parseTorchReference(JSON.stringify({ ...torch, results: [{ id: 1 }] }), 't.json')).toThrow(/results\[0\]/);
    expect(parseTorchReference(JSON.stringify(torch), 't.json').results).toHaveLength(3);
  });

  it('refuses the single-call timings of schema @2, saying why', () => {
    expect(() => parseTorchReference(JSON.stringify({ ...torch, schema: 'fusebench/torch-reference@2' }), 't.json')).toThrow(/one call between two events/);
  });
});
