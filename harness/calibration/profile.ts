/**
 * Builds a calibration profile for one backend from a run's results. `fusebench run` writes one per
 * backend (without ceilings); `fusebench calibrate` adds the measured ceilings and the datasheet peaks.
 */
import type { PatternResult, RunResults, SizeResult } from '../core/types.ts';
import type { MeasuredCeilings } from '../core/ceilings.ts';
import { median } from '../core/stats.ts';
import type { FusebenchConfig } from '../core/config.ts';
import { currentConfig } from '../core/config.ts';
import { judge, verdictFor } from '../core/verdicts.ts';
import { verdictLabel } from '../report/format.ts';
import {
  CALIBRATION_SCHEMA_ID, SPEEDUP_SUMMARY_BASIS,
  type CalibrationProfile, type FailedSizeEntry, type FusionPatternProfile, type FusionSizeEntry,
} from './types.ts';

export interface ProfileOptions {
  /** Hardware name; defaults to the GPU name for GPU backends and the CPU model otherwise. */
  readonly hardware?: string;
  /** Datasheet peak GFLOP/s, when the user gives it. */
  readonly peakGflops?: number;
  /** Datasheet peak bandwidth, GB/s, when the user gives it. */
  readonly peakBandwidth?: number;
  readonly ceilings?: MeasuredCeilings;
  /** Thresholds the verdicts are judged with (default: the config in force). */
  readonly config?: FusebenchConfig;
}

function sizeEntry(r: SizeResult, config: FusebenchConfig): FusionSizeEntry | FailedSizeEntry {
  const where = { size: r.size, magnitude: r.magnitude, params: { ...r.params } };
  if (r.status !== 'ok') return { ...where, error: r.error ?? 'failed without a message' };
  const { unfused: u, fused: f, speedup, correctness } = r;
  if (!u || !f || !speedup || !correctness) {
    return { ...where, error: 'result marked ok but lacks timings, speedup or correctness' };
  }
  return {
    ...where,
    unfused_ms: u.throughputMs,
    fused_ms: f.throughputMs,
    ...(u.deviceMs === undefined ? {} : { unfused_kernel_ms: u.deviceMs }),
    ...(f.deviceMs === undefined ? {} : { fused_kernel_ms: f.deviceMs }),
    speedup: speedup.ratio,
    speedup_ci: [speedup.lo, speedup.hi],
    memory_reduction: r.memoryReduction ?? 0,
    unfused_gflops: u.gflops,
    fused_gflops: f.gflops,
    unfused_gbps: u.gbps,
    fused_gbps: f.gbps,
    flops: r.cost.flops,
    bytes_unfused: r.cost.bytesUnfused,
    bytes_fused: r.cost.bytesFused,
    fused_correct: correctness.fused.ok,
    unfused_correct: correctness.unfused.ok,
    fused_max_abs_error: Number.isFinite(correctness.fused.maxAbs) ? correctness.fused.maxAbs : null,
    verdict: verdictLabel(judge(speedup, correctness.fused.ok, config).verdict),
    kernels_unfused: [...u.kernels],
    kernels_fused: [...f.kernels],
  };
}

function isMeasured(e: FusionSizeEntry | FailedSizeEntry): e is FusionSizeEntry {
  return !('error' in e);
}

export function patternProfile(p: PatternResult, backend: string, kind: 'cpu' | 'gpu', config: FusebenchConfig = currentConfig()): FusionPatternProfile | undefined {
  const rows = p.results.filter((r) => r.backend === backend);
  if (rows.length === 0) return undefined;
  const entries = rows.map((r) => sizeEntry(r, config));
  const sizes = entries.filter(isMeasured).sort((a, b) => a.magnitude - b.magnitude);
  const failed = entries.filter((e): e is FailedSizeEntry => !isMeasured(e));
  const speedups = sizes.map((s) => s.speedup);
  const correct = sizes.every((s) => s.fused_correct);
  const summary = speedups.length ? median(speedups) : null;
  return {
    pattern: p.id,
    family: p.family,
    title: p.title,
    fused_by: p.fusedBy,
    correct,
    speedup_factor: summary,
    speedup_basis: SPEEDUP_SUMMARY_BASIS,
    speedup_range: speedups.length ? [Math.min(...speedups), Math.max(...speedups)] : null,
    memory_reduction: sizes.length ? median(sizes.map((s) => s.memory_reduction)) : null,
    verdict: summary === null ? null : verdictLabel(correct ? verdictFor(summary, config.verdicts) : 'incorrect'),
    prediction: p.predictions[kind],
    sizes,
    failed_sizes: failed,
  };
}

export function profileFromResults(results: RunResults, backend: string, opts: ProfileOptions = {}): CalibrationProfile {
  const status = results.backends.find((b) => b.name === backend);
  if (!status) {
    throw new Error(`no backend "${backend}" in the results; backends there: ${results.backends.map((b) => b.name).join(', ') || 'none'}`);
  }
  const kind = status.kind;
  const fusion: Record<string, FusionPatternProfile> = {};
  for (const p of results.patterns) {
    const entry = patternProfile(p, backend, kind, opts.config ?? currentConfig());
    if (entry) fusion[p.id] = entry;
  }
  const hardware = opts.hardware ?? (kind === 'gpu' ? results.machine.gpu : undefined) ?? results.machine.cpuModel;
  return {
    schema: CALIBRATION_SCHEMA_ID,
    hardware,
    backend,
    backend_kind: kind,
    device: status.device ?? null,
    machine: results.machine,
    created_at: results.createdAt,
    command: results.command,
    quick: results.quick,
    ...(opts.peakGflops === undefined ? {} : { theoretical_peak_gflops: opts.peakGflops }),
    ...(opts.peakBandwidth === undefined ? {} : { theoretical_bandwidth_gbps: opts.peakBandwidth }),
    ...(opts.ceilings ? { ceilings: opts.ceilings } : {}),
    sampling: results.sampling,
    fusion_profiles: fusion,
  };
}
