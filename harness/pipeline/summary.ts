/** Per-backend aggregates of a macro study, computed from the stored samples (so the JSON alone reproduces them). */
import type { PatternResult } from '../core/types.ts';
import type { BackendSummary, PipelineResult, PipelineSizeResult } from './results.ts';
import { bootstrapGeomean, geomean } from './math.ts';

export interface SummaryOptions {
  readonly resamples: number;
  readonly confidence: number;
  readonly copyTarget: number;
}

/** Sizes whose numbers count: measured, and both pipelines exactly right. */
export const usable = (r: PipelineSizeResult): boolean => r.status === 'ok' && r.correctness?.ok === true && r.macro !== undefined;

const wallSeries = (r: PipelineSizeResult) => ({
  samples: [r.unfused!.wall.samplesMs, r.fused!.wall.samplesMs],
  statistic: (m: readonly number[]) => m[0] / m[1],
});

export function summarizeBackend(micro: PatternResult | undefined, pipelines: readonly PipelineResult[], opts: SummaryOptions): BackendSummary {
  const boot = { resamples: opts.resamples, confidence: opts.confidence };
  const microOk = micro?.results.filter((r) => r.status === 'ok' && r.speedup) ?? [];
  const microSummary = microOk.length === 0 ? undefined : {
    geomean: geomean(microOk.map((r) => r.speedup!.ratio)),
    min: Math.min(...microOk.map((r) => r.speedup!.ratio)),
    max: Math.max(...microOk.map((r) => r.speedup!.ratio)),
    sizes: microOk.length,
    correct: microOk.every((r) => r.correctness?.fused.ok === true) && microOk.length === micro!.results.length,
  };
  const perPipeline = pipelines.flatMap((p) => {
    const ok = p.results.filter(usable);
    if (ok.length === 0) return [];
    return [{
      id: p.id,
      kind: p.kind,
      macro: bootstrapGeomean(ok.map(wallSeries), boot),
      prediction: { ratio: geomean(ok.map((r) => r.prediction!.ratio)), lo: geomean(ok.map((r) => r.prediction!.lo)), hi: geomean(ok.map((r) => r.prediction!.hi)) },
      coverage: ok.reduce((a, r) => a + r.coverage!.runtimeShare.ratio, 0) / ok.length,
      microAtSize: geomean(ok.flatMap((r) => (r.groups ?? []).map((g) => g.microSpeedup.ratio))),
      sizes: ok.length,
    }];
  });
  const all = pipelines.flatMap((p) => p.results.filter(usable));
  const copies = all.flatMap((r) => (r.groups ?? []).flatMap((g) => (g.copy ? [g.copy.ratio.ratio] : [])));
  return {
    ...(microSummary ? { micro: microSummary } : {}),
    pipelines: perPipeline,
    ...(all.length ? { overall: bootstrapGeomean(all.map(wallSeries), boot), overallPrediction: geomean(all.map((r) => r.prediction!.ratio)) } : {}),
    ...(copies.length ? { copy: { worst: Math.max(...copies), best: Math.min(...copies), within: copies.filter((c) => c <= opts.copyTarget).length, of: copies.length } } : {}),
  };
}
