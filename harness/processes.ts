/**
 * Process-level repetition, pyperf-style: one size's results from several fresh processes pooled into one, with a
 * hierarchical bootstrap CI (processes, then rounds within each), so that the interval holds between processes and
 * not only between the rounds of one. A size stops adding processes once that CI is tight (adaptive stopping).
 */
import type { FusebenchConfig } from './core/config.ts';
import type { ErrorStats, SizeResult, VariantStats } from './core/types.ts';
import { geomean, hierarchicalRatioOfMedians, median, quantile, type ProcessSamples } from './core/stats.ts';

/** The relative half-width of a speedup CI: (hi − lo) / 2 / ratio. */
export function relativeHalfWidth(s: { readonly ratio: number; readonly lo: number; readonly hi: number }): number {
  return (s.hi - s.lo) / 2 / s.ratio;
}

/** Whether a size's speedup CI is as tight as the config asks. */
export function converged(r: SizeResult, config: FusebenchConfig): boolean {
  return r.status === 'ok' && r.speedup !== undefined && relativeHalfWidth(r.speedup) <= config.sampling.targetHalfWidth;
}

function worst(a: ErrorStats, b: ErrorStats): ErrorStats {
  return { maxAbs: Math.max(a.maxAbs, b.maxAbs), maxRel: Math.max(a.maxRel, b.maxRel), ok: a.ok && b.ok };
}

/**
 * One variant over several processes. Its time is the geometric mean of the processes' medians, as the speedup is
 * of their ratios (processSpeedup), so that unfused ÷ fused time is the speedup; p10 and p90 are of all rounds.
 */
function pooledVariant(vs: readonly VariantStats[], flops: number, bytes: number): VariantStats {
  const samples = vs.flatMap((v) => v.samplesMs);
  const med = geomean(vs.map((v) => median(v.samplesMs)));
  const device = vs.map((v) => v.deviceMs).filter((d): d is number => d !== undefined);
  return {
    throughputMs: med,
    callsPerSample: vs[0]!.callsPerSample,
    p10Ms: quantile(samples, 0.1),
    p90Ms: quantile(samples, 0.9),
    samplesMs: samples,
    latencyMs: median(vs.map((v) => v.latencyMs)),
    ...(device.length ? { deviceMs: median(device) } : {}),
    kernels: vs[0]!.kernels,
    bytesAllocated: vs[0]!.bytesAllocated,
    gflops: flops / (med * 1e6),
    gbps: bytes / (med * 1e6),
  };
}

export interface PoolOptions {
  readonly config: FusebenchConfig;
}

/**
 * One size's results from several processes as one result. A process that failed fails the size (with its
 * error); correctness is the worst any process saw. The per-process medians are kept (`processes`) and the
 * pooled rounds stay in process order (`samplesMs`), so the interval can be recomputed from the file.
 */
export function poolProcesses(results: readonly SizeResult[], opts: PoolOptions): SizeResult {
  if (results.length === 0) throw new Error('poolProcesses: no results');
  const failed = results.find((r) => r.status !== 'ok');
  if (failed) return results.length === 1 ? failed : { ...failed, error: `process ${results.indexOf(failed) + 1} of ${results.length}: ${failed.error}` };
  if (results.length === 1) return { ...results[0]!, processes: [processMedians(results[0]!)] };
  const first = results[0]!;
  const s = opts.config.sampling;
  const groups: ProcessSamples[] = results.map((r) => ({ a: r.unfused!.samplesMs, b: r.fused!.samplesMs }));
  const speedup = hierarchicalRatioOfMedians(groups, { resamples: s.bootstrapResamples, confidence: s.confidence });
  const correctness = results.map((r) => r.correctness!).reduce((x, y) => ({ unfused: worst(x.unfused, y.unfused), fused: worst(x.fused, y.fused) }));
  const pooled: SizeResult = {
    ...first,
    correctness,
    unfused: pooledVariant(results.map((r) => r.unfused!), first.cost.flops, first.cost.bytesUnfused),
    fused: pooledVariant(results.map((r) => r.fused!), first.cost.flops, first.cost.bytesFused),
    speedup,
    processes: results.map(processMedians),
  };
  const stoppedBy = converged(pooled, opts.config) ? 'converged' : results.some((r) => r.stoppedBy === 'budget') ? 'budget' : 'rounds';
  return { ...pooled, stoppedBy };
}

function processMedians(r: SizeResult): NonNullable<SizeResult['processes']>[number] {
  const u = median(r.unfused!.samplesMs), f = median(r.fused!.samplesMs);
  return { rounds: r.unfused!.samplesMs.length, unfusedMs: u, fusedMs: f, speedup: u / f };
}
