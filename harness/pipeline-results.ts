/**
 * A pipeline's entry in results.json, from its measured sizes and the rest of the same run: each size's Amdahl
 * prediction from the micro suite's speedup measured in the same run (at the micro size nearest the fused
 * kernel's elements, on the same backend), and per backend the Decision Matrix row for expanding fusion.
 * Pure: the same sizes and micro results always give the same figures (bootstrap seeds derive from names).
 */
import type {
  AmdahlPrediction, Interval, PatternResult, PipelineResult, PipelineSizeResult, PipelineSummary, RegisteredPipeline, SizeResult,
} from './core/types.ts';
import type { FusebenchConfig } from './core/config.ts';
import { isFusedStages } from './core/pipeline.ts';
import { decisionSpan, type DecisionSpan } from './core/verdicts.ts';
import {
  amdahlParts, bootstrapReplicates, geomean, geomeanReplicates, hashSeed, median, percentileInterval, ratioReplicates,
} from './core/stats.ts';

/** Everything results.json records of a pipeline except what it measured: plain data, safe to carry between processes. */
export type PipelineHeader = Omit<PipelineResult, 'results' | 'summary'>;

export function pipelineHeader({ spec, file }: RegisteredPipeline): PipelineHeader {
  return {
    id: spec.id,
    family: spec.family,
    title: spec.title,
    file,
    ...(spec.description ? { description: spec.description } : {}),
    standsFor: spec.standsFor ?? [],
    stages: spec.stages.flatMap((step) => (isFusedStages(step) ? step.stages.map((s) => ({ name: s.name, group: step.fused })) : [{ name: step.name }])),
    micro: spec.micro,
    predictions: spec.predictions,
    notes: spec.notes ?? [],
  };
}

/** Sizes whose figures count: measured, with both pipelines correct. */
export const usable = (r: PipelineSizeResult): boolean =>
  r.status === 'ok' && r.correctness?.unfused.ok === true && r.correctness.fused.ok && r.speedup !== undefined;

/** The micro suite's measured size nearest `elements` (in ratio) on `backend`, correct and timed; undefined when the run has none. */
export function nearestMicro(micro: PatternResult | undefined, backend: string, elements: number): SizeResult | undefined {
  const ok = (micro?.results ?? []).filter((r) => r.backend === backend && r.status === 'ok' && r.correctness?.fused.ok && r.unfused && r.fused);
  const distance = (r: SizeResult): number => Math.abs(Math.log(r.magnitude / elements));
  return ok.sort((a, b) => distance(a) - distance(b))[0];
}

interface Prediction {
  readonly amdahl: AmdahlPrediction;
  readonly replicates: Float64Array;
}

/**
 * Amdahl's prediction at one size: c_g = Σ group g's stages alone ÷ the unfused pipeline (scaled down if they add
 * up past 1), s_g = the micro suite's speedup (or, when the run has no micro result on this backend, the fused
 * kernel's speedup over its stages inside the pipeline); 1 / ((1 − Σc) + Σ c/s). The bootstrap resamples the
 * pipeline's rounds and each micro size's rounds independently.
 */
function predict(id: string, microId: string, micro: PatternResult | undefined, r: PipelineSizeResult, resamples: number, confidence: number): Prediction | undefined {
  const groups = r.groups ?? [];
  if (!r.unfused || !r.stages || groups.length === 0) return undefined;
  const stageSamples = (name: string): readonly number[] => r.stages!.find((s) => s.name === name)!.timing.samplesMs;
  const picks = groups.map((g) => nearestMicro(micro, r.backend, g.elements));
  const fromMicro = picks.every((m) => m !== undefined);
  // Block 0: the pipeline's rounds [unfused, each group's stages…, each group's kernel]; then one block per micro size.
  const pipelineBlock: Array<readonly number[]> = [r.unfused.samplesMs];
  const layout = groups.map((g) => {
    const stages = g.stages.map((n) => pipelineBlock.push(stageSamples(n)) - 1);
    const kernel = pipelineBlock.push(g.kernel.samplesMs) - 1;
    return { stages, kernel };
  });
  const microSizes = fromMicro ? [...new Set(picks as SizeResult[])] : [];
  const blocks: Array<ReadonlyArray<readonly number[]>> = [pipelineBlock, ...microSizes.map((m) => [m.unfused!.samplesMs, m.fused!.samplesMs])];
  const statistic = (meds: ReadonlyArray<readonly number[]>): number => {
    const p = meds[0]!;
    const raw = layout.map((l, k) => {
      const t = l.stages.reduce((a, i) => a + p[i]!, 0);
      const m = fromMicro ? meds[1 + microSizes.indexOf(picks[k]!)]! : undefined;
      return { coverage: t / p[0]!, speedup: m ? m[0]! / m[1]! : t / p[l.kernel]! };
    });
    const total = raw.reduce((a, x) => a + x.coverage, 0);
    return amdahlParts(total > 1 ? raw.map((x) => ({ ...x, coverage: x.coverage / total })) : raw);
  };
  const point = statistic(blocks.map((b) => b.map((s) => median(s))));
  const replicates = bootstrapReplicates(blocks, statistic, resamples, hashSeed(`${id}|${r.backend}|${r.size}|amdahl`));
  const predicted = percentileInterval(point, replicates, confidence);
  const speedup: Interval = fromMicro ? picks[0]!.speedup! : groups[0]!.speedup;
  return {
    replicates,
    amdahl: {
      from: fromMicro ? 'micro suite' : 'pipeline',
      ...(fromMicro ? { micro: { suite: microId, size: picks[0]!.size } } : {}),
      speedup,
      predicted,
      deltaPts: Math.round((r.speedup!.ratio - point) * 10000) / 100,
    },
  };
}

function summarize(id: string, backend: string, sizes: readonly PipelineSizeResult[], predictions: ReadonlyMap<PipelineSizeResult, Prediction>, config: FusebenchConfig): PipelineSummary | undefined {
  const ok = sizes.filter(usable);
  const incorrect = sizes.filter((r) => r.status === 'ok' && r.correctness && !(r.correctness.fused.ok && r.correctness.unfused.ok)).map((r) => r.size);
  if (ok.length === 0) return undefined;
  const { bootstrapResamples: resamples, confidence } = config.sampling;
  const point = geomean(ok.map((r) => r.speedup!.ratio));
  const speedup = percentileInterval(point, geomeanReplicates(ok.map((r) => sizeSpeedupReplicates(id, r, resamples))), confidence);
  const predicted = ok.every((r) => predictions.has(r))
    ? percentileInterval(geomean(ok.map((r) => predictions.get(r)!.amdahl.predicted.ratio)), geomeanReplicates(ok.map((r) => predictions.get(r)!.replicates)), confidence)
    : undefined;
  const copies = ok.flatMap((r) => (r.groups ?? []).flatMap((g) => (g.copy ? [g.copy.ratio.ratio] : [])));
  return {
    backend,
    sizes: ok.length,
    speedup,
    ...(predicted ? { predicted, deltaPts: Math.round((speedup.ratio - predicted.ratio) * 10000) / 100 } : {}),
    coverage: ok.reduce((a, r) => a + r.coverage!.runtime.ratio, 0) / ok.length,
    ...(copies.length ? { copy: { best: Math.min(...copies), worst: Math.max(...copies) } } : {}),
    incorrect,
  };
}

/** A pipeline's results.json entry: its sizes with their Amdahl predictions, and one summary per backend. */
export function pipelineResult(header: PipelineHeader, results: readonly PipelineSizeResult[], patterns: readonly PatternResult[], config: FusebenchConfig): PipelineResult {
  const micro = patterns.find((p) => p.id === header.micro);
  const predictions = new Map<PipelineSizeResult, Prediction>();
  const withAmdahl = results.map((r) => {
    if (!usable(r)) return r;
    const p = predict(header.id, header.micro, micro, r, config.sampling.bootstrapResamples, config.sampling.confidence);
    if (!p) return r;
    const out = { ...r, amdahl: p.amdahl };
    predictions.set(out, p);
    return out;
  });
  const backends = [...new Set(withAmdahl.map((r) => r.backend))];
  const summary = backends.flatMap((b) => summarize(header.id, b, withAmdahl.filter((r) => r.backend === b), predictions, config) ?? []);
  return { ...header, results: withAmdahl, summary };
}

/** Per-size replicates of a pipeline's macro speedup, seeded as its summary seeds them. */
const sizeSpeedupReplicates = (id: string, r: PipelineSizeResult, resamples: number): Float64Array =>
  ratioReplicates(r.unfused!.samplesMs, r.fused!.samplesMs, resamples, hashSeed(`${id}|${r.backend}|${r.size}`));

/**
 * A backend's end-to-end figure over every pipeline it measured: the geometric mean over pipelines of each
 * pipeline's geometric mean over its correct sizes (each pipeline weighs one, however many sizes it has), with a
 * joint bootstrap CI; and the Decision Matrix row at the point estimate and at each end of the CI. Undefined when
 * no pipeline has a correct size on the backend, or when a fused result was wrong (then no decision stands).
 */
export function backendOverall(pipelines: readonly PipelineResult[], backend: string, config: FusebenchConfig): { speedup: Interval; decision: DecisionSpan; pipelines: number } | undefined {
  const measured = pipelines.map((p) => ({ p, ok: p.results.filter((r) => r.backend === backend && usable(r)) })).filter((x) => x.ok.length > 0);
  if (measured.length === 0) return undefined;
  const { bootstrapResamples: resamples, confidence } = config.sampling;
  const point = geomean(measured.map(({ ok }) => geomean(ok.map((r) => r.speedup!.ratio))));
  const replicates = geomeanReplicates(measured.map(({ p, ok }) => geomeanReplicates(ok.map((r) => sizeSpeedupReplicates(p.id, r, resamples)))));
  const speedup = percentileInterval(point, replicates, confidence);
  return { speedup, decision: decisionSpan(speedup, config.decisions), pipelines: measured.length };
}
