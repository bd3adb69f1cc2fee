/**
 * Fixed, synthetic macro-study results for renderer and schema tests: every number is chosen here, none measured.
 * The document is complete (it validates against schemas/macro-results.schema.json; test/schema checks that).
 */
import type { BackendStatus, PatternResult, SizeResult } from '../../harness/core/types.ts';
import type { MacroStudyResults, PipelineResult, PipelineSizeResult, TimeSummary } from '../../harness/pipeline/results.ts';
import { summarizeBackend } from '../../harness/pipeline/summary.ts';
import { STUDY_CLAIMS } from '../../harness/pipeline/claims.ts';
import { amdahl } from '../../harness/pipeline/math.ts';

const ROUNDS = 8;
/** Samples around a median: `spread` = relative half-width of the pattern (0 = constant). */
function t(medianMs: number, spread = 0, reversed = false): TimeSummary {
  const base = [0, 1, -1, 0.5, -0.5, 0.25, -0.25, 0];
  const pattern = reversed ? [...base].reverse() : base;
  const samplesMs = pattern.slice(0, ROUNDS).map((k) => medianMs * (1 + spread * k));
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { medianMs, p10Ms: sorted[0], p90Ms: sorted[sorted.length - 1], samplesMs };
}

const iv = (ratio: number, spread = 0) => ({ ratio, lo: ratio * (1 - spread), hi: ratio * (1 + spread) });

export interface SizeSpec {
  readonly size: string;
  readonly unfusedMs: number;
  readonly speedup: number;
  /** Share of unfused wall time in the fused stages. */
  readonly coverage: number;
  readonly micro: number;
  readonly copyRatio: number;
  readonly spread?: number;
  readonly correct?: boolean;
}

export function sizeResult(backend: string, pipeline: string, kind: 'image' | 'neural', s: SizeSpec): PipelineSizeResult {
  const fusedMs = s.unfusedMs / s.speedup;
  const fusedStagesMs = s.coverage * s.unfusedMs;
  const fusedAloneMs = fusedStagesMs / s.micro;
  const elements = kind === 'image' ? 65536 : 16 * 1024;
  const spread = s.spread ?? 0;
  return {
    backend, pipeline, size: s.size, params: {}, elements, status: 'ok', timing: 'sync-compute', rounds: ROUNDS,
    correctness: { unfusedMismatches: 0, fusedMismatches: s.correct === false ? 12 : 0, ok: s.correct !== false },
    unfused: { wall: t(s.unfusedMs, spread), compute: t(s.unfusedMs * 0.9), kernels: ['TernaryBinary', 'TernaryUnary'] },
    fused: { wall: t(fusedMs, spread, true), compute: t(fusedMs * 0.9), kernels: ['TernaryNotBinary'] },
    stages: [
      { name: 'other', op: 'tmul', compute: t(s.unfusedMs * (1 - s.coverage) * 0.9) },
      { name: 'bias', op: 'tadd', fusedGroup: 'g', compute: t(fusedStagesMs / 2) },
      { name: 'activation', op: 'tnot', fusedGroup: 'g', compute: t(fusedStagesMs / 2) },
    ],
    groups: [{
      label: 'g', kernel: 'TernaryNotBinary(op=tadd)', stages: ['bias', 'activation'], elements,
      bytesUnfused: 20 * elements, bytesFused: 12 * elements, fusedAlone: t(fusedAloneMs), microSpeedup: iv(s.micro, spread),
      copy: { elements: 1.5 * elements, bytes: 12 * elements, compute: t(fusedAloneMs / s.copyRatio), ratio: iv(s.copyRatio, spread) },
    }],
    coverage: { opShare: 0.4, opsRemovedShare: 0.2, runtimeShare: iv(s.coverage, spread) },
    prediction: iv(amdahl(s.coverage, s.micro), spread),
    macro: iv(s.speedup, spread),
    macroCompute: iv(s.speedup * 1.02, spread),
    stageSumOverPipeline: 1,
  };
}

export function pipeline(kind: 'image' | 'neural', results: PipelineSizeResult[]): PipelineResult {
  return {
    id: kind === 'image' ? 'TernaryImagePipeline' : 'TernaryNeuralLayer',
    title: kind === 'image' ? 'Ternary image processing pipeline' : 'Ternary neural network layer',
    kind, description: `fixture ${kind} pipeline`, file: `/repo/suites/pipelines/${kind}.pipeline.ts`,
    stages: kind === 'image'
      ? [{ name: 'convolution', op: 'tmul' }, { name: 'bias correction', op: 'tadd', fused: 'g' }, { name: 'activation', op: 'tnot', fused: 'g' }, { name: 'thresholding', op: 'tmin' }, { name: 'final adjustment', op: 'tmul' }]
      : [{ name: 'matrix multiply', op: 'tmatmul_sign' }, { name: 'bias', op: 'tadd', fused: 'g' }, { name: 'activation', op: 'tnot', fused: 'g' }],
    notes: [], results,
  };
}

export function micro(backend: string, speedups: readonly number[]): PatternResult {
  const results: SizeResult[] = speedups.map((sp, i) => {
    const n = 1024 * 16 ** i;
    return {
      backend, size: `${n} elements`, params: { n }, magnitude: n, status: 'ok',
      cost: { flops: 4 * n, bytesUnfused: 20 * n, bytesFused: 12 * n, intermediateBytes: 4 * n },
      correctness: { unfused: { maxAbs: 0, maxRel: 0, ok: true }, fused: { maxAbs: 0, maxRel: 0, ok: true } },
      unfused: { throughputMs: sp, latencyMs: sp, p10Ms: sp, p90Ms: sp, samplesMs: [sp], kernels: ['TernaryBinary', 'TernaryUnary'], bytesAllocated: 8 * n, gflops: 0, gbps: 0 },
      fused: { throughputMs: 1, latencyMs: 1, p10Ms: 1, p90Ms: 1, samplesMs: [1], kernels: ['TernaryNotBinary'], bytesAllocated: 4 * n, gflops: 0, gbps: 0 },
      speedup: { ratio: sp, lo: sp * 0.95, hi: sp * 1.05 },
      memoryReduction: 0.5,
      judgement: { verdict: sp >= 1.5 ? '✓ Strong benefit' : sp >= 1.1 ? '✓ Moderate benefit' : '⚠ Minimal benefit', decision: 'Deploy + Expand', vsPrediction: 'within prediction' },
    };
  });
  return {
    id: 'Ternary_tadd_tnot', family: 'ternary', title: 'Ternary tadd → tnot (Phase 4.1)', file: '/repo/suites/ternary/tadd-tnot.bench.ts',
    fusedBy: 'fusebench kernel', standsFor: [], predictions: { cpu: { min: 1.67, max: 2, source: 'fixture' }, gpu: { min: 1.67, max: 2, source: 'fixture' } }, notes: [], results,
  };
}

export function study(backends: ReadonlyArray<{ name: string; image: SizeSpec[]; neural: SizeSpec[]; micro: number[] }>, unavailable: BackendStatus[] = []): MacroStudyResults {
  const opts = { resamples: 200, confidence: 0.95, copyTarget: 1.3 };
  return {
    schema: 'fusebench/macro@1', createdAt: '2030-01-02T03:04:05.000Z', command: 'fixture', quick: false,
    machine: { hostname: 'fixture-host', cpuModel: 'Fixture CPU', cores: 4, memoryGiB: 8, os: 'Linux', node: 'v20', tfjs: '4.22.0' },
    sampling: { rounds: 40, minRounds: 6, warmup: 3, minSampleMs: 5, maxSecondsPerSize: 20, bootstrap: 200 },
    copyTarget: 1.3, decisions: { expand: 1.1, deploy: 1.05 }, study: STUDY_CLAIMS,
    backends: [
      ...backends.map((b) => {
        const pipes = [pipeline('image', b.image.map((s) => sizeResult(b.name, 'TernaryImagePipeline', 'image', s))), pipeline('neural', b.neural.map((s) => sizeResult(b.name, 'TernaryNeuralLayer', 'neural', s)))];
        const m = micro(b.name, b.micro);
        return { backend: { name: b.name, kind: 'cpu' as const, available: true, device: { description: `${b.name} fixture device` } }, micro: m, pipelines: pipes, summary: summarizeBackend(m, pipes, opts) };
      }),
      ...unavailable.map((u) => ({ backend: u, pipelines: [], summary: summarizeBackend(undefined, [], opts) })),
    ],
  };
}
