/**
 * SYNTHETIC pipeline results for the results, schema and report tests: every number is chosen here, none measured.
 * Samples are constant (or a fixed pattern around their median), so every statistic of them is known by hand.
 */
import type {
  BackendStatus, ErrorStats, MachineInfo, PatternResult, PipelineSizeResult, RunResults, SizeResult, TimingStats,
} from '../../harness/core/types.ts';
import { bootstrapRatioOfMedians } from '../../harness/core/stats.ts';
import { defaultConfig, mergeConfig, type FusebenchConfig } from '../../harness/core/config.ts';
import { assembleResults, type PipelineHeader } from '../../harness/results.ts';

export const ROUNDS = 8;
const PATTERN = [0, 1, -1, 0.5, -0.5, 0.25, -0.25, 0];

/** Samples around a median: `spread` is the relative half-width (0: constant). */
export function samples(medianMs: number, spread = 0, reversed = false): number[] {
  const p = reversed ? [...PATTERN].reverse() : PATTERN;
  return p.map((k) => medianMs * (1 + spread * k));
}

export function timing(medianMs: number, spread = 0, reversed = false): TimingStats {
  const s = samples(medianMs, spread, reversed);
  const sorted = [...s].sort((a, b) => a - b);
  return { throughputMs: medianMs, p10Ms: sorted[0]!, p90Ms: sorted[sorted.length - 1]!, samplesMs: s, callsPerSample: 1, latencyMs: medianMs };
}

const exactly: ErrorStats = { maxAbs: 0, maxRel: 0, ok: true };
const wrong: ErrorStats = { maxAbs: 2, maxRel: 1, ok: false };
const iv = (ratio: number) => ({ ratio, lo: ratio, hi: ratio });

export interface SizeSpec {
  readonly size: string;
  /** Elements each stage processes (the micro suite is matched on it). */
  readonly elements: number;
  readonly unfusedMs: number;
  /** End-to-end speedup. */
  readonly speedup: number;
  /** Share of the unfused pipeline's time in the fused stages. */
  readonly coverage: number;
  /** The fused kernel's speedup over its stages inside the pipeline. */
  readonly inPipeline: number;
  readonly copyRatio?: number;
  readonly spread?: number;
  readonly correct?: boolean;
}

/** One pipeline size: stages "other" (outside the group), "bias" and "activation" (fused group "g"). */
export function pipelineSize(backend: string, s: SizeSpec): PipelineSizeResult {
  const spread = s.spread ?? 0;
  const fusedMs = s.unfusedMs / s.speedup;
  const groupMs = s.coverage * s.unfusedMs;
  const kernelMs = groupMs / s.inPipeline;
  const u = samples(s.unfusedMs, spread);
  const f = samples(fusedMs, spread, true);
  const speedup = bootstrapRatioOfMedians(u, f, { resamples: 200 });
  const correct = s.correct !== false;
  return {
    backend, size: s.size, params: { n: s.elements }, magnitude: s.elements, status: 'ok',
    correctness: { unfused: exactly, fused: correct ? exactly : wrong },
    unfused: { ...timing(s.unfusedMs, spread), kernels: ['Other', 'Bias', 'Act'], bytesAllocated: 36 * s.elements },
    fused: { ...timing(fusedMs, spread, true), kernels: ['Other', 'BiasAct'], bytesAllocated: 24 * s.elements },
    stages: [
      { name: 'other', timing: timing(s.unfusedMs - groupMs) },
      { name: 'bias', group: 'g', timing: timing(groupMs / 2) },
      { name: 'activation', group: 'g', timing: timing(groupMs / 2) },
    ],
    groups: [{
      label: 'g', stages: ['bias', 'activation'], elements: s.elements, bytesUnfused: 20 * s.elements, bytesFused: 12 * s.elements,
      kernel: timing(kernelMs), kernels: ['BiasAct'], speedup: iv(s.inPipeline),
      ...(s.copyRatio ? { copy: { elements: 1.5 * s.elements, bytes: 12 * s.elements, timing: timing(kernelMs / s.copyRatio), ratio: iv(s.copyRatio) } } : {}),
    }],
    coverage: { ops: 2 / 3, opsRemoved: 1 / 3, runtime: iv(s.coverage) },
    speedup,
    stageSum: 1,
    stoppedBy: 'rounds',
  };
}

export const header = (id: string, title: string): PipelineHeader => ({
  id, family: 'fixture-pipelines', title, file: `/repo/suites/pipelines/${id}.bench.ts`, description: `${title}, synthetic`,
  standsFor: [], stages: [{ name: 'other' }, { name: 'bias', group: 'g' }, { name: 'activation', group: 'g' }],
  micro: 'Micro_BiasAct', predictions: { cpu: { min: 1.1, max: 1.2, source: 'fixture claim' }, gpu: { min: 1.1, max: 1.2, source: 'fixture claim' } }, notes: [],
});

/** The micro suite on one backend: constant samples, so its speedup at each size is exact. */
export function microSize(backend: string, elements: number, speedup: number): SizeResult {
  const u = samples(1);
  const f = samples(1 / speedup);
  const stats = (s: number[], ms: number) => ({ ...timing(ms), samplesMs: s, kernels: ['K'], bytesAllocated: 0, gflops: 0, gbps: 0 });
  const interval = bootstrapRatioOfMedians(u, f, { resamples: 200 });
  return {
    backend, size: `${elements} elements`, params: { n: elements }, magnitude: elements, status: 'ok',
    cost: { flops: 0, bytesUnfused: 20 * elements, bytesFused: 12 * elements, intermediateBytes: 4 * elements },
    correctness: { unfused: exactly, fused: exactly }, unfused: stats(u, 1), fused: stats(f, 1 / speedup),
    speedup: interval, memoryReduction: 0.3,
  };
}

export function microPattern(sizes: readonly SizeResult[]): PatternResult {
  return {
    id: 'Micro_BiasAct', family: 'fixture', title: 'Bias + activation alone', file: '/repo/suites/micro.bench.ts', fusedBy: 'fusebench kernel',
    standsFor: [], predictions: { cpu: { min: 1.5, max: 2, source: 'fixture' }, gpu: { min: 1.5, max: 2, source: 'fixture' } }, notes: [], results: sizes,
  };
}

export const machine: MachineInfo = { hostname: 'fixture', cpuModel: 'Synthetic CPU (not measured)', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20', tfjs: '4.22.0' };

export const backend = (name: string, kind: 'cpu' | 'gpu' = 'cpu'): BackendStatus => ({ name, kind, available: true, device: { description: `${name} (synthetic)` } });

export const fixtureConfig: FusebenchConfig = mergeConfig(defaultConfig, { sampling: { bootstrapResamples: 200 } });

export interface RunSpec {
  readonly backends: ReadonlyArray<{ readonly name: string; readonly image: readonly SizeSpec[]; readonly neural?: readonly SizeSpec[]; readonly micro?: ReadonlyArray<readonly [number, number]> }>;
}

/** A whole run: one micro suite and two pipelines per backend, assembled by the one results builder. */
export function run(spec: RunSpec, config: FusebenchConfig = fixtureConfig): RunResults {
  return assembleResults({
    command: 'fixture', quick: false, config, machine, createdAt: '2026-01-15T12:00:00.000Z',
    backends: spec.backends.map((b) => backend(b.name)),
    patterns: [{ header: (({ results: _r, ...h }) => h)(microPattern([])), results: spec.backends.flatMap((b) => (b.micro ?? []).map(([n, s]) => microSize(b.name, n, s))) }],
    pipelines: [
      { header: header('ImagePipe', 'Image pipeline'), results: spec.backends.flatMap((b) => b.image.map((s) => pipelineSize(b.name, s))) },
      { header: header('NeuralPipe', 'Neural layer'), results: spec.backends.flatMap((b) => (b.neural ?? []).map((s) => pipelineSize(b.name, s))) },
    ],
  });
}
