/**
 * Measures one pipeline at one size on one backend, in the same shape as a suite (measure.ts): open a session
 * (inputs, the float64 check of both pipelines, tf.profile), sample its variants with the one sampler, finish.
 * The variants, interleaved in every round:
 *   the unfused pipeline, the fused pipeline, each stage alone (on the intermediate the pipeline feeds it),
 *   each fused kernel alone, and a plain copy of each fused kernel's bytes (where the pipeline names a copy).
 * From them: the end-to-end speedup, coverage by ops and by measured runtime, each fused kernel's speedup over
 * its stages at this size and against the copy, each with a bootstrap CI over rounds. Everything created is
 * disposed; a leak fails the size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter, ErrorStats, PipelineGroupResult, PipelineSizeResult, PipelineSpec, SizeParams, Tensors } from './core/types.ts';
import { PipelineDeclarationError } from './core/errors.ts';
import { PlanError, planPipeline, type PipelinePlan } from './core/pipeline.ts';
import { compareWithReference } from './core/correctness.ts';
import type { InterleavedSamples } from './core/sampler.ts';
import { bootstrapRatioOfMedians, bootstrapStatistic, median, seededRandom } from './core/stats.ts';
import {
  issueOf, profileCall, profiledStats, readValues, sampleOn, samplingPlan, sampleSession, timedRegion, timingStats, toleranceFor, toTensors,
  withoutHostTrips, type MeasureOptions, type Profiled, type Session,
} from './measure.ts';

type Base = Pick<PipelineSizeResult, 'backend' | 'size' | 'params' | 'magnitude'>;

/** A pipeline at one size, being measured. */
export interface PipelineSession extends Session<PipelineSizeResult> {
  readonly base: Base;
  readonly pipeline: PipelinePlan;
  readonly unfused: () => tf.Tensor;
  readonly fused: () => tf.Tensor;
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 0 };
const bytesOf = (t: tf.Tensor): number => t.size * (BYTES[t.dtype] ?? 4);

/** Tensors and both pipelines of a spec at one size, ready to call; `dispose` frees the inputs. */
export interface PipelineState {
  readonly host: ReturnType<PipelineSpec['inputs']>;
  readonly plan: PipelinePlan;
  readonly inputs: Tensors;
  readonly unfused: () => tf.Tensor;
  readonly fused: () => tf.Tensor;
  dispose(): void;
}

/** Runs stage `i` of a plan on named tensors. */
const runStage = (plan: PipelinePlan, i: number, env: Readonly<Record<string, tf.Tensor>>): tf.Tensor => {
  const { stage } = plan.stages[i]!;
  return stage.run(...stage.inputs.map((n) => env[n]!));
};

/** Runs fused group `g` of a plan on named tensors. */
const runGroup = (plan: PipelinePlan, g: number, env: Readonly<Record<string, tf.Tensor>>): tf.Tensor => {
  const { step } = plan.groups[g]!;
  return step.kernel(...step.inputs.map((n) => env[n]!));
};

export function buildPipelineState(file: string, spec: PipelineSpec, p: SizeParams, rng: () => number): PipelineState {
  const host = spec.inputs(p, rng);
  let plan: PipelinePlan;
  try {
    plan = planPipeline(spec.stages, Object.keys(host));
  } catch (e) {
    if (e instanceof PlanError) throw new PipelineDeclarationError(file, e.field, `${e.message} (inputs at size ${spec.label(p)}: ${Object.keys(host).join(', ')})`);
    throw e;
  }
  const inputs = toTensors(host);
  return {
    host, plan, inputs,
    unfused: () => tf.tidy(() => {
      const env: Record<string, tf.Tensor> = { ...inputs };
      plan.stages.forEach((s, i) => { env[s.stage.out] = runStage(plan, i, env); });
      return env[plan.output]!;
    }),
    fused: () => tf.tidy(() => {
      const env: Record<string, tf.Tensor> = { ...inputs };
      for (const step of plan.fused) {
        if ('stage' in step) env[plan.stages[step.stage]!.stage.out] = runStage(plan, step.stage, env);
        else env[plan.groups[step.group]!.out] = runGroup(plan, step.group, env);
      }
      return env[plan.output]!;
    }),
    dispose: () => {
      for (const t of Object.values(inputs)) t.dispose();
    },
  };
}

/** A size that could not be measured, with the error that stopped it. */
function failed(base: Base, e: unknown): PipelineSizeResult {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ...base, status: 'failed', error: `${err.name}: ${err.message}`.slice(0, 600) };
}

/** Where each variant sits in the sampler's list. */
interface Layout {
  readonly stages: readonly number[];
  readonly groups: ReadonlyArray<{ readonly kernel: number; readonly copy?: number; readonly copyElements?: number }>;
}

/**
 * Opens a pipeline at one size: builds inputs, checks both pipelines against the float64 reference (before any
 * timing), computes every intermediate once (so each stage and fused kernel can run alone on real inputs), and
 * lays out the variants. A failure of the size comes back as a failed result; a fault of the declaration throws
 * PipelineDeclarationError.
 */
export async function openPipelineSize(
  file: string, spec: PipelineSpec, adapter: BackendAdapter, p: SizeParams, opts: MeasureOptions,
): Promise<PipelineSession | PipelineSizeResult> {
  const size = spec.label(p);
  const base: Base = { backend: adapter.name, size, params: p, magnitude: spec.magnitude(p) };
  const tensorsBefore = tf.memory().numTensors;
  const rng = seededRandom(opts.seed ?? (Math.random() * 2 ** 32) >>> 0);
  const owned: tf.Tensor[] = [];
  const end = (result: PipelineSizeResult): PipelineSizeResult => {
    for (const t of owned) t.dispose();
    tf.engine().endScope();
    const leaked = tf.memory().numTensors - tensorsBefore;
    return leaked === 0 ? result : { ...base, status: 'failed', error: `tensor leak: ${leaked} tensor(s) left after measuring ${spec.id} at ${size}` };
  };
  tf.engine().startScope();
  try {
    const state = buildPipelineState(file, spec, p, rng);
    owned.push(...Object.values(state.inputs));
    const { plan } = state;

    // 1. Correctness of both pipelines, before any timing.
    const outU = state.unfused();
    const outF = state.fused();
    if (outU.shape.join(',') !== outF.shape.join(',')) {
      throw new PipelineDeclarationError(file, 'stages', `the fused pipeline's output shape [${outF.shape}] differs from the unfused one's [${outU.shape}] at size ${size}`);
    }
    const x64: Record<string, Float64Array> = {};
    for (const [k, h] of Object.entries(state.host)) x64[k] = h.data;
    const want = spec.reference(x64, p);
    if (want.length !== outU.size) throw new PipelineDeclarationError(file, 'reference', `returned ${want.length} values; the output has ${outU.size} at size ${size}`);
    const tol = toleranceFor(spec, p, opts.config);
    const correctness: { unfused: ErrorStats; fused: ErrorStats } = {
      unfused: compareWithReference(await readValues(outU), want, tol),
      fused: compareWithReference(await readValues(outF), want, tol),
    };
    outU.dispose();
    outF.dispose();

    // 2. Every intermediate, once, so each stage and fused kernel runs alone on what the pipeline feeds it.
    const env: Record<string, tf.Tensor> = { ...state.inputs };
    plan.stages.forEach((s, i) => {
      env[s.stage.out] = runStage(plan, i, env);
      owned.push(env[s.stage.out]!);
    });
    const stageBytes = plan.stages.map(({ stage }) => stage.inputs.reduce((a, n) => a + bytesOf(env[n]!), 0) + bytesOf(env[stage.out]!));

    // 3. The variants: both pipelines, each stage, each fused kernel, each copy yardstick.
    const names = ['unfused', 'fused'];
    const calls: Array<() => tf.Tensor> = [state.unfused, state.fused];
    const add = (name: string, call: () => tf.Tensor): number => {
      names.push(name);
      calls.push(call);
      return names.length - 1;
    };
    const layout: Layout = {
      stages: plan.stages.map((s, i) => add(`stage ${s.stage.name}`, () => tf.tidy(() => runStage(plan, i, env)))),
      groups: plan.groups.map((g, k) => {
        const kernel = add(`fused ${g.label}`, () => tf.tidy(() => runGroup(plan, k, env)));
        if (!spec.copy) return { kernel };
        // A copy reads and writes each element once, so it moves the fused kernel's bytes when it copies half of them.
        const out = env[g.out]!;
        const bytesFused = g.step.inputs.reduce((a, n) => a + bytesOf(env[n]!), 0) + bytesOf(out);
        const copyElements = Math.ceil(bytesFused / (2 * (BYTES[out.dtype] ?? 4)));
        const src = tf.fill([copyElements], 1, out.dtype);
        owned.push(src);
        const copy = spec.copy;
        try {
          copy(src).dispose();
        } catch {
          return { kernel }; // no copy kernel on this backend: the yardstick is left out, and the report says so
        }
        return { kernel, copy: add(`copy ${g.label}`, () => copy(src)), copyElements };
      }),
    };

    // 4. What each pipeline and fused kernel launches and allocates. As for a suite, a call that makes host round
    // trips (a backend's fallback kernels) on every call is not timed: the size fails naming it.
    const region = timedRegion(adapter, `the timed region of ${spec.id} at ${size}`);
    const profiled = (what: string, call: () => tf.Tensor): Promise<Profiled> => withoutHostTrips(region, `${what} of ${spec.id} at ${size}`, () => profileCall(call));
    const profU = await profiled('the unfused pipeline', state.unfused);
    const profF = await profiled('the fused pipeline', state.fused);
    const profGroups: Profiled[] = [];
    for (const [k, g] of plan.groups.entries()) profGroups.push(await profiled(`the fused kernel ${g.label}`, () => runGroup(plan, k, env)));

    const s = opts.config.sampling;
    const boot = { resamples: s.bootstrapResamples, confidence: s.confidence };
    return {
      base, pipeline: plan, unfused: state.unfused, fused: state.fused, names, calls, variants: calls.map(issueOf),
      plan: samplingPlan(opts.config, opts.quick, Math.max(profU.kernels.length, profF.kernels.length)),
      timedRegion: region,
      end,
      failed: (e) => failed(base, e),
      finish: (samples) => finishPipeline(spec, adapter, base, plan, layout, samples, {
        correctness, profU, profF, profGroups, stageBytes, env, boot, config: opts.config,
      }),
    };
  } catch (e) {
    if (e instanceof PipelineDeclarationError) {
      for (const t of owned) t.dispose();
      tf.engine().endScope();
      throw e;
    }
    return end(failed(base, e));
  }
}

interface Measured {
  readonly correctness: { readonly unfused: ErrorStats; readonly fused: ErrorStats };
  readonly profU: Profiled;
  readonly profF: Profiled;
  readonly profGroups: readonly Profiled[];
  readonly stageBytes: readonly number[];
  readonly env: Readonly<Record<string, tf.Tensor>>;
  readonly boot: { readonly resamples: number; readonly confidence: number };
  readonly config: MeasureOptions['config'];
}

function finishPipeline(
  spec: PipelineSpec, adapter: BackendAdapter, base: Base, plan: PipelinePlan, layout: Layout, samples: InterleavedSamples, m: Measured,
): PipelineSizeResult {
  const series = samples.throughput;
  const U = 0;
  const F = 1;
  const groups: PipelineGroupResult[] = plan.groups.map((g, k) => {
    const at = layout.groups[k]!;
    const stageSeries = g.indices.map((i) => series[layout.stages[i]!]!);
    const out = m.env[g.out]!;
    const copyAt = at.copy;
    return {
      label: g.label,
      stages: g.indices.map((i) => plan.stages[i]!.stage.name),
      elements: out.size,
      bytesUnfused: g.indices.reduce((a, i) => a + m.stageBytes[i]!, 0),
      bytesFused: g.step.inputs.reduce((a, n) => a + bytesOf(m.env[n]!), 0) + bytesOf(out),
      kernel: timingStats(samples, at.kernel),
      kernels: m.profGroups[k]!.kernels,
      speedup: bootstrapStatistic([[...stageSeries, series[at.kernel]!]], ([b]) => b!.slice(0, -1).reduce((a, x) => a + x, 0) / b![b!.length - 1]!, m.boot),
      ...(copyAt === undefined ? {} : {
        copy: {
          elements: at.copyElements!,
          bytes: 2 * at.copyElements! * (BYTES[out.dtype] ?? 4),
          timing: timingStats(samples, copyAt),
          ratio: bootstrapRatioOfMedians(series[at.kernel]!, series[copyAt]!, m.boot),
        },
      }),
    };
  });
  const fusedStages = plan.stages.filter((s) => s.group !== undefined).map((s) => series[layout.stages[s.index]!]!);
  const runtime = bootstrapStatistic([[series[U]!, ...fusedStages]], ([b]) => Math.min(1, b!.slice(1).reduce((a, x) => a + x, 0) / b![0]!), m.boot);
  const inGroups = plan.groups.reduce((a, g) => a + g.indices.length, 0);
  const removed = plan.groups.reduce((a, g) => a + g.indices.length - 1, 0);
  const speedup = bootstrapRatioOfMedians(series[U]!, series[F]!, m.boot);
  const stageSum = layout.stages.reduce((a, i) => a + median(series[i]!), 0) / median(series[U]!);
  return {
    ...base,
    status: 'ok',
    correctness: m.correctness,
    unfused: profiledStats(samples, U, m.profU),
    fused: profiledStats(samples, F, m.profF),
    stages: plan.stages.map((s) => ({ name: s.stage.name, ...(s.group ? { group: s.group } : {}), timing: timingStats(samples, layout.stages[s.index]!) })),
    groups,
    coverage: { ops: inGroups / plan.stages.length, opsRemoved: removed / plan.stages.length, runtime },
    speedup,
    stageSum,
    stoppedBy: samples.stoppedBy,
  };
}

/** Correctness, profile, interleaved fenced timing and the result of one pipeline at one size on one backend. */
export async function measurePipelineSize(
  file: string, spec: PipelineSpec, adapter: BackendAdapter, p: SizeParams, opts: MeasureOptions,
): Promise<PipelineSizeResult> {
  return sampleSession(await openPipelineSize(file, spec, adapter, p, opts), sampleOn(adapter));
}
