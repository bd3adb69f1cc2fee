/** harness/report/torch-cpu.ts on fixed data: PyTorch's best and fusion speedup, pairing, ratios, geomeans, ranges, validation. */
import { describe, expect, it } from 'vitest';
import {
  backendDistances, compareWithTorch, parseTorchCpuReference, patternRanges, studyChecks, torchCpuProblems, torchCpuTable, torchFigures,
  type TorchCpuReference, type TorchCpuRow,
} from '../../harness/report/torch-cpu.ts';
import type { RunResults, SizeResult } from '../../harness/core/types.ts';

const variant = (ms: number) => ({ throughputMs: ms, latencyMs: ms, p10Ms: ms, p90Ms: ms, samplesMs: [ms], kernels: [], bytesAllocated: 0, gflops: 0, gbps: 0 });

const size = (backend: string, label: string, params: Record<string, number>, unfusedMs: number, fusedMs: number, status: 'ok' | 'failed' = 'ok'): SizeResult => ({
  backend, size: label, params, magnitude: 1, status, cost: { flops: 1, bytesUnfused: 1, bytesFused: 1, intermediateBytes: 0 },
  unfused: variant(unfusedMs), fused: variant(fusedMs), speedup: { ratio: unfusedMs / fusedMs, lo: unfusedMs / fusedMs, hi: unfusedMs / fusedMs },
});

const pattern = (id: string, results: SizeResult[]) => ({
  id, family: 'f', title: id, file: 'x', fusedBy: 'fusebench kernel', standsFor: [], notes: [],
  predictions: { cpu: { min: 0.6, max: 0.71, source: 's' }, gpu: { min: 1, max: 2, source: 's' } }, results,
});

const results = {
  schema: 'fusebench/results@1', createdAt: '2026-01-01T00:00:00Z', command: 'fusebench run', quick: false,
  machine: { hostname: 'h', cpuModel: 'c', cores: 2, memoryGiB: 1, os: 'linux', node: 'v20', tfjs: '4.22.0' },
  sampling: { rounds: 1, warmup: 1, bootstrap: 1, timing: 'x' }, backends: [],
  patterns: [
    pattern('Attention_SDPA', [
      size('wasm', '1h×8×4', { h: 1, s: 8, d: 4 }, 2, 1),
      size('cpu', '1h×8×4', { h: 1, s: 8, d: 4 }, 40, 20),
      size('wasm', '2h×8×4', { h: 2, s: 8, d: 4 }, 8, 4),
      size('cpu', '2h×8×4', { h: 2, s: 8, d: 4 }, 1, 1, 'failed'),
    ]),
    pattern('Add_ReLU', [size('wasm', '2×2×4', { h: 2, w: 2, c: 4 }, 1, 0.5), size('wasm', 'not in torch', { h: 9, w: 9, c: 9 }, 1, 1)]),
  ],
} as unknown as RunResults;

const row = (id: string, label: string, params: Record<string, number>, threads: number, ms: Partial<TorchCpuRow>): TorchCpuRow => ({ id, label, params, threads, ...ms });

const torch: TorchCpuReference = {
  schema: 'fusebench/torch-cpu-reference@1', createdAt: '2026-01-01T00:00:00Z', command: 'python3 bench/torch-cpu-reference.py --sizes s --out t',
  machine: { hostname: 'h', cpu: 'AMD EPYC', logicalCpus: 2, torchThreads: 2, torch: '2.13.0+cpu', python: '3.11.7', cxx: 'g++ 12' },
  load: { before: [1, 1, 1], after: [2, 1, 1], seconds: 10 }, dtype: 'float32', quick: false, threads: [1, 2], timing: 't',
  variants: { eager: 'e', fused: 'f', compiled: 'c' }, check: 'c', fusedForms: { Attention_SDPA: 'F.scaled_dot_product_attention' },
  results: [
    row('Attention_SDPA', '1h×8×4', { h: 1, s: 8, d: 4 }, 1, { eagerMs: 0.4, fusedMs: 0.25, compiledMs: 0.5, eagerRoundsMs: [0.4, 0.6] }),
    row('Attention_SDPA', '1h×8×4', { h: 1, s: 8, d: 4 }, 2, { eagerMs: 0.1, fusedMs: 0.05 }),
    row('Attention_SDPA', '2h×8×4', { d: 4, s: 8, h: 2 }, 1, { eagerMs: 1, compiledMs: 2 }),
    row('Add_ReLU', '2×2×4', { h: 2, w: 2, c: 4 }, 1, { eagerMs: 0.1 }),
  ],
  skipped: { 'Add_ReLU fused': 'no fused eager op', 'Attention_SDPA 2h×8×4 1t fused': 'result differs from eager' },
};

describe('torchFigures', () => {
  it('takes the best of eager, fused and compiled, and PyTorch\'s fusion speedup against the faster fused side', () => {
    expect(torchFigures(torch.results[0])).toEqual({ unfusedMs: 0.4, fusedMs: 0.25, compiledMs: 0.5, bestMs: 0.25, best: 'fused', fusionSpeedup: 1.6 });
    // eager fastest: fusion slows PyTorch down here (the study's finding, for example)
    expect(torchFigures(torch.results[2])).toMatchObject({ bestMs: 1, best: 'eager', fusionSpeedup: 0.5 });
    expect(torchFigures(torch.results[3])).toMatchObject({ bestMs: 0.1, best: 'eager', fusionSpeedup: undefined });
    expect(torchFigures(row('X', 'x', {}, 1, {}))).toMatchObject({ bestMs: undefined, best: undefined });
  });
});

describe('compareWithTorch', () => {
  const rows = compareWithTorch(results, torch);

  it('pairs ok sizes by pattern and params (key order aside) at the thread count asked for', () => {
    expect(rows.map((r) => `${r.pattern} ${r.size} ${r.backend}`)).toEqual([
      'Attention_SDPA 1h×8×4 wasm', 'Attention_SDPA 1h×8×4 cpu', 'Attention_SDPA 2h×8×4 wasm', 'Add_ReLU 2×2×4 wasm',
    ]);
    expect(rows[0]).toMatchObject({ threads: 1, oursUnfusedMs: 2, oursFusedMs: 1, oursSpeedup: 2, fusedOverTorchBest: 4 });
    expect(rows[1].fusedOverTorchBest).toBe(80);
    expect(compareWithTorch(results, torch, 2).map((r) => r.fusedOverTorchBest)).toEqual([20, 400]);
    expect(compareWithTorch(results, torch, 4)).toEqual([]);
  });

  it('gives each backend the geometric mean of fused ÷ PyTorch best, with its range', () => {
    const d = backendDistances(rows);
    expect(d.map((x) => x.backend)).toEqual(['wasm', 'cpu']);
    expect(d[0].geomean).toBeCloseTo(Math.cbrt(4 * 4 * 5), 12);
    expect(d[0]).toMatchObject({ min: 4, max: 5, sizes: 3 });
    expect(d[1].geomean).toBeCloseTo(80, 10);
    expect(d[1].sizes).toBe(1);
  });

  it('gives per-pattern ranges of any figure, leaving out sizes where it is undefined', () => {
    expect(patternRanges(rows, (r) => r.fusedOverTorchBest)).toEqual([
      { pattern: 'Attention_SDPA', backend: 'wasm', min: 4, max: 4, sizes: 2 },
      { pattern: 'Attention_SDPA', backend: 'cpu', min: 80, max: 80, sizes: 1 },
      { pattern: 'Add_ReLU', backend: 'wasm', min: 5, max: 5, sizes: 1 },
    ]);
    expect(patternRanges(rows, (r) => r.torch.fusionSpeedup).map((g) => [g.pattern, g.backend, g.min, g.max])).toEqual([
      ['Attention_SDPA', 'wasm', 0.5, 1.6], ['Attention_SDPA', 'cpu', 1.6, 1.6],
    ]);
  });

  it('renders one plain Markdown table, n/a where PyTorch has no figure', () => {
    const md = torchCpuTable(rows);
    expect(md.split('\n')).toHaveLength(2 + rows.length);
    expect(md).toMatch(/\| Attention_SDPA +\| 1h×8×4 +\| wasm +\| +2\.00 \| +1\.00 \| +0\.400 \| +0\.250 \| +0\.500 \| +0\.250 \(fused\) \| +1\.60× \| +4\.00× \|/);
    expect(md).toMatch(/\| Add_ReLU +\| 2×2×4 +\| wasm +\|.*\| +n\/a \| +n\/a \| +0\.100 \(eager\) \| +n\/a \| +5\.00× \|/);
  });
});

describe('studyChecks', () => {
  it('sets the study\'s CPU prediction beside PyTorch\'s own fusion speedup and ours, per pattern', () => {
    const [sdpa, addRelu] = studyChecks(results, torch);
    // predicted 0.6–0.71×; PyTorch 0.5 (2h) and 1.6 (1h): the ranges meet
    expect(sdpa).toMatchObject({ pattern: 'Attention_SDPA', torch: { min: 0.5, max: 1.6, sizes: 2 }, torchMeetsPrediction: true });
    expect(sdpa.ours).toEqual([
      { pattern: 'Attention_SDPA', backend: 'wasm', min: 2, max: 2, sizes: 2 },
      { pattern: 'Attention_SDPA', backend: 'cpu', min: 2, max: 2, sizes: 1 },
    ]);
    // no fused form and no compile: PyTorch has no fusion speedup to compare
    expect(addRelu).toMatchObject({ pattern: 'Add_ReLU', torch: undefined, torchMeetsPrediction: undefined });
    const faster = { ...torch, results: torch.results.map((r) => (r.threads === 1 && r.id === 'Attention_SDPA' ? { ...r, eagerMs: 10 } : r)) };
    expect(studyChecks(results, faster)[0]).toMatchObject({ torch: { min: 5, max: 40 }, torchMeetsPrediction: false });
  });
});

describe('reading torch-cpu-reference.json', () => {
  it('accepts what the script writes and names the file and the path of every fault', () => {
    expect(parseTorchCpuReference(JSON.stringify(torch), 't.json').results).toHaveLength(4);
    expect(() => parseTorchCpuReference('{', 't.json')).toThrow(/^t\.json: not JSON/);
    expect(() => parseTorchCpuReference(JSON.stringify({ ...torch, schema: 'x' }), 't.json')).toThrow(/t\.json: \/schema must be "fusebench\/torch-cpu-reference@1"/);
    const bad = { ...torch, results: [{ ...torch.results[0], eagerMs: -1 }, { ...torch.results[1], threads: 3 }, torch.results[1], { ...torch.results[0], eagerMs: 0.6 }] };
    expect(torchCpuProblems({ ...bad, results: [bad.results[0]] })).toEqual(['/results/0/eagerMs must be > 0']);
    expect(torchCpuProblems({ ...bad, results: bad.results.slice(1) })).toEqual([
      '/results/0/threads 3 is not among /threads (1, 2)',
      '/results/2/eagerMs must be the lowest of /eagerRoundsMs',
    ]);
    expect(torchCpuProblems({ ...torch, results: [torch.results[1], torch.results[1]] })).toEqual(['/results/1 repeats Attention_SDPA 1h×8×4 at 2 thread(s)']);
  });
});
