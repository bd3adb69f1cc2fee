/**
 * Synthetic runs for the gate's tests: RunResults whose per-round samples come from a known model, so a test
 * knows the truth. Each run has a factor shared by all its samples (the process-to-process swing of absolute
 * times seen on shared machines), each round a drift factor shared by both variants (the machine slowing
 * down for a moment), each sample its own log-normal noise, and now and then a spike (a GC pause).
 */
import type { MachineInfo, PatternResult, RunResults, SizeResult, Verdict } from '../../harness/core/types.ts';
import { median, seededRandom } from '../../harness/core/stats.ts';

export interface SyntheticRow {
  readonly pattern: string;
  readonly backend?: string;
  readonly size: string;
  /** True medians of the two variants, ms per call. */
  readonly unfusedMs: number;
  readonly fusedMs: number;
  readonly rounds?: number;
  readonly status?: 'ok' | 'failed';
  readonly verdict?: Verdict;
  readonly minSpeedup?: number;
}

export interface NoiseModel {
  /** Log-sd of the factor shared by every sample of a run. */
  readonly run: number;
  /** Log-sd of each sample's own noise. */
  readonly noise: number;
  /** Log-sd of the per-round factor shared by both variants. */
  readonly drift: number;
  /** Chance that a sample is a spike (× 1.5–2.5). */
  readonly spikes: number;
}

/** Roughly the 2-core development VM: whole runs swing by ~10%, rounds by ~5%. */
export const SHARED_RUNNER: NoiseModel = { run: 0.1, noise: 0.04, drift: 0.05, spikes: 0.05 };

/** A dedicated machine: runs agree to ~1%. */
export const DEDICATED: NoiseModel = { run: 0.01, noise: 0.01, drift: 0.01, spikes: 0 };

export const MACHINE: MachineInfo = {
  hostname: 'ci-box', cpuModel: 'AMD EPYC', cores: 2, memoryGiB: 24, os: 'Linux 6', node: 'v20.20.2', tfjs: '4.22.0',
};

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function samples(trueMs: number, drift: readonly number[], model: NoiseModel, rand: () => number): number[] {
  return drift.map((d) => {
    const spike = rand() < model.spikes ? 1.5 + rand() : 1;
    return trueMs * d * spike * Math.exp(model.noise * gaussian(rand));
  });
}

function sizeResult(row: SyntheticRow, model: NoiseModel, runFactor: number, rand: () => number): SizeResult {
  const base = {
    backend: row.backend ?? 'cpu',
    size: row.size,
    params: { n: 1 },
    magnitude: 1,
    cost: { flops: 1e6, bytesUnfused: 3e4, bytesFused: 1e4, intermediateBytes: 2e4 },
  };
  if (row.status === 'failed') return { ...base, status: 'failed', error: 'RangeError: out of memory (synthetic)' };
  const rounds = row.rounds ?? 20;
  const drift = Array.from({ length: rounds }, () => runFactor * Math.exp(model.drift * gaussian(rand)));
  const u = samples(row.unfusedMs, drift, model, rand);
  const f = samples(row.fusedMs, drift, model, rand);
  const ratio = median(u) / median(f);
  const variant = (s: number[]) => ({
    throughputMs: median(s), latencyMs: median(s), p10Ms: Math.min(...s), p90Ms: Math.max(...s), samplesMs: s,
    kernels: ['K'], bytesAllocated: 100, gflops: 1, gbps: 1,
  });
  const ok = row.verdict !== 'incorrect';
  return {
    ...base,
    status: 'ok',
    correctness: { unfused: { maxAbs: 0, maxRel: 0, ok: true }, fused: { maxAbs: ok ? 0 : 1, maxRel: ok ? 0 : 1, ok } },
    unfused: variant(u),
    fused: variant(f),
    speedup: { ratio, lo: ratio * 0.97, hi: ratio * 1.03 },
    memoryReduction: 0.5,
  };
}

export function syntheticRun(rows: readonly SyntheticRow[], opts: { seed: number; model?: NoiseModel; machine?: Partial<MachineInfo> }): RunResults {
  const rand = seededRandom(opts.seed);
  const model = opts.model ?? SHARED_RUNNER;
  const runFactor = Math.exp(model.run * gaussian(rand));
  const byPattern = new Map<string, SyntheticRow[]>();
  for (const r of rows) byPattern.set(r.pattern, [...(byPattern.get(r.pattern) ?? []), r]);
  const patterns: PatternResult[] = [...byPattern.entries()].map(([id, rs]) => {
    const mins = rs.filter((r) => r.minSpeedup !== undefined);
    return {
      id, family: 'synthetic', title: id, file: `/synthetic/${id}.bench.ts`, fusedBy: 'tfjs fused kernel', standsFor: [],
      predictions: { cpu: { min: 1, max: 1.2, source: 'test' }, gpu: { min: 1, max: 2, source: 'test' } },
      ...(mins.length ? { minSpeedup: Object.fromEntries(mins.map((r) => [r.backend ?? 'cpu', r.minSpeedup!])) } : {}),
      notes: [],
      results: rs.map((r) => sizeResult(r, model, runFactor, rand)),
    };
  });
  return {
    schema: 'fusebench/results@1',
    createdAt: '2026-01-01T00:00:00.000Z',
    command: `synthetic (seed ${opts.seed})`,
    quick: true,
    machine: { ...MACHINE, ...opts.machine },
    sampling: { rounds: 20, warmup: 3, bootstrap: 2000, timing: 'synthetic' },
    backends: [{ name: 'cpu', kind: 'cpu', available: true, device: { description: 'synthetic CPU' } }],
    patterns,
  };
}

/** Five rows of a typical suite run: speedups from 0.95× to 1.6×. */
export const TYPICAL_ROWS: readonly SyntheticRow[] = [
  { pattern: 'Linear_Bias_ReLU', size: '64×256→256', unfusedMs: 3.2, fusedMs: 2.4 },
  { pattern: 'Linear_Bias_ReLU', size: '128×768→3072', unfusedMs: 40, fusedMs: 25 },
  { pattern: 'Conv_BN_ReLU', size: '1×56×56×64', unfusedMs: 12, fusedMs: 11 },
  { pattern: 'Conv_BN_ReLU', size: '1×28×28×128', unfusedMs: 6, fusedMs: 6.3 },
  { pattern: 'Attention_Softmax', size: '8×128×64', unfusedMs: 2, fusedMs: 1.6 },
];

/** The same rows with the fused path doing `extra` more work (fused time × (1 + extra)). */
export const slowerFused = (rows: readonly SyntheticRow[], extra: number, which: (r: SyntheticRow) => boolean = () => true): SyntheticRow[] =>
  rows.map((r) => (which(r) ? { ...r, fusedMs: r.fusedMs * (1 + extra) } : r));

/** The same rows with both variants `extra` slower (all, or those `which` picks): shared code got slower, the speedup did not move. */
export const slowerBoth = (rows: readonly SyntheticRow[], extra: number, which: (r: SyntheticRow) => boolean = () => true): SyntheticRow[] =>
  rows.map((r) => (which(r) ? { ...r, unfusedMs: r.unfusedMs * (1 + extra), fusedMs: r.fusedMs * (1 + extra) } : r));
