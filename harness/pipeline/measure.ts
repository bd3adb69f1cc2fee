/**
 * Measures one pipeline at one size on one backend: correctness first (exact, against the float64 reference,
 * with trit validation on), then interleaved rounds of the unfused pipeline, the fused pipeline, each unfused
 * stage alone, each fused kernel alone and a plain copy of the fused kernel's bytes. From those: coverage,
 * the Amdahl prediction, the measured macro speedup and the copy ratio, each with a bootstrap CI over rounds.
 * Every tensor created here is disposed; a leak fails the size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter, HostInputs, Interval, SizeParams, Tensors } from '../core/types.ts';
import type { FusebenchConfig } from '../core/config.ts';
import type { PipelineSpec } from './spec.ts';
import type { GroupResult, PipelineSizeResult, StageResult, TimeSummary, VariantResult } from './results.ts';
import { describeFusedCall, planPipeline, referencePipeline, runStep, type GroupStep, type HostValue, type PipelinePlan, type StageStep } from './ops.ts';
import { sampleVariants, timedCall, timingModeFor, type MultiSamples, type NamedVariant } from './sampler.ts';
import { amdahlParts, bootstrapStatistic, opCoverage } from './math.ts';
import { bootstrapRatioOfMedians, median, quantile, seededRandom } from '../core/stats.ts';
import { fusebenchCopy, type TernaryOpOptions } from '../../kernels/ternary/ops.ts';
import { kernelNames as launchNames, profileKernels } from '../kernel-profile.ts';
import { FUSEBENCH_COPY } from '../../kernels/names.ts';

export interface PipelineMeasureOptions {
  readonly config: FusebenchConfig;
  readonly quick: boolean;
  readonly seed?: number;
}

const NO_VALIDATION: TernaryOpOptions = { validate: false };
const WITH_VALIDATION: TernaryOpOptions = { validate: true };

function toTensors(host: HostInputs): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, h] of Object.entries(host)) {
    out[name] = tf.tensor(h.dtype === 'int32' ? Int32Array.from(h.data) : Float32Array.from(h.data), [...h.shape], h.dtype);
  }
  return out;
}

/** Runs a list of steps in one tidy; only the pipeline output survives. */
export function runSteps(steps: ReadonlyArray<StageStep | GroupStep>, output: string, inputs: Tensors, opts: TernaryOpOptions): tf.Tensor {
  return tf.tidy(() => {
    const env: Record<string, tf.Tensor> = { ...inputs };
    for (const s of steps) env[s.out] = runStep(s, env, opts);
    return env[output];
  });
}

function summary(samples: readonly number[]): TimeSummary {
  return { medianMs: median(samples), p10Ms: quantile(samples, 0.1), p90Ms: quantile(samples, 0.9), samplesMs: [...samples] };
}

function mismatches(got: ArrayLike<number>, want: Float64Array): number {
  if (got.length !== want.length) return Math.max(got.length, want.length);
  let bad = 0;
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) bad++;
  return bad;
}

/** The kernels one call launches, each counted once (harness/kernel-profile.ts). */
async function kernelNames(fn: () => tf.Tensor): Promise<string[]> {
  tf.engine().startScope();
  try {
    return launchNames((await profileKernels(fn)).kernels);
  } finally {
    tf.engine().endScope();
  }
}

/** Tensors and callable variants of a pipeline at one size (also used by `fusebench patterns`). */
export interface PipelineState {
  readonly plan: PipelinePlan;
  readonly host: HostInputs;
  readonly inputs: Tensors;
  readonly unfused: (opts?: TernaryOpOptions) => tf.Tensor;
  readonly fused: (opts?: TernaryOpOptions) => tf.Tensor;
  dispose(): void;
}

export function buildPipelineState(spec: PipelineSpec, p: SizeParams, rng: () => number): PipelineState {
  const host = spec.inputs(p, rng);
  const plan = planPipeline(spec.stages, Object.keys(host));
  const inputs = toTensors(host);
  return {
    plan, host, inputs,
    unfused: (opts = NO_VALIDATION) => runSteps(plan.unfused, plan.output, inputs, opts),
    fused: (opts = NO_VALIDATION) => runSteps(plan.fused, plan.output, inputs, opts),
    dispose: () => Object.values(inputs).forEach((t) => t.dispose()),
  };
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export async function measurePipelineSize(
  spec: PipelineSpec, adapter: BackendAdapter, p: SizeParams, opts: PipelineMeasureOptions,
): Promise<PipelineSizeResult> {
  const base = { backend: adapter.name, pipeline: spec.id, size: spec.label(p), params: p, elements: spec.elements(p) };
  const before = tf.memory().numTensors;
  const rng = seededRandom(opts.seed ?? (Math.random() * 2 ** 32) >>> 0);
  const owned: tf.Tensor[] = [];
  let result: PipelineSizeResult;
  tf.engine().startScope();
  try {
    const state = buildPipelineState(spec, p, rng);
    owned.push(...Object.values(state.inputs));
    const { plan } = state;

    // 1. Correctness, validation on: exact match with the reference for both pipelines.
    const hostValues: Record<string, HostValue> = {};
    for (const [k, h] of Object.entries(state.host)) hostValues[k] = { shape: h.shape, data: h.data };
    const want = referencePipeline(plan, hostValues).data;
    const outU = state.unfused(WITH_VALIDATION);
    const outF = state.fused(WITH_VALIDATION);
    // Async reads: synchronous ones are unavailable on webgpu in Node.
    const correctness = { unfusedMismatches: mismatches(await outU.data(), want), fusedMismatches: mismatches(await outF.data(), want), ok: false };
    correctness.ok = correctness.unfusedMismatches === 0 && correctness.fusedMismatches === 0;
    outU.dispose();
    outF.dispose();

    // 2. Every intermediate, computed once, so each stage and fused kernel can run alone on real inputs.
    const env: Record<string, tf.Tensor> = { ...state.inputs };
    for (const s of plan.unfused) {
      env[s.out] = runStep(s, env, NO_VALIDATION);
      owned.push(env[s.out]);
    }

    // 3. Copy sources: a copy reads and writes each element once, so it moves the fused kernel's bytes
    //    when it copies (inputs + 1) / 2 times the elements.
    const mode = timingModeFor(adapter);
    const hasCopy = tf.getKernel(FUSEBENCH_COPY, tf.getBackend()) !== undefined;
    const groupInfo: Array<{ g: GroupStep; elements: number; bytesFused: number; bytesUnfused: number; copyElements: number; copySrc?: tf.Tensor }> = [];
    for (const g of plan.groups) {
      const elements = sizeOf(env[g.out].shape);
      const bytesFused = 4 * elements * (g.inputs.length + 1);
      const bytesUnfused = g.indices.reduce((a, i) => a + 4 * elements * (plan.unfused[i].inputs.length + 1), 0);
      const copyElements = Math.ceil(bytesFused / 8);
      const copySrc = hasCopy ? tf.fill([copyElements], 1, 'int32') : undefined;
      if (copySrc) owned.push(copySrc);
      groupInfo.push({ g, elements, bytesFused, bytesUnfused, copyElements, ...(copySrc ? { copySrc } : {}) });
    }

    // 4. Interleaved rounds.
    const variant = (name: string, fn: () => tf.Tensor): NamedVariant => ({ name, call: () => timedCall(fn, adapter, mode) });
    const variants: NamedVariant[] = [
      variant('unfused pipeline', () => state.unfused()),
      variant('fused pipeline', () => state.fused()),
      ...plan.unfused.map((s) => variant(`stage ${spec.stages[s.index].name}`, () => tf.tidy(() => runStep(s, env, NO_VALIDATION)))),
    ];
    const groupIdx: Array<{ fused: number; copy?: number }> = [];
    for (const gi of groupInfo) {
      const fused = variants.push(variant(`fused ${gi.g.label}`, () => runStep(gi.g, env, NO_VALIDATION))) - 1;
      const copy = gi.copySrc ? variants.push(variant(`copy ${gi.g.label}`, () => fusebenchCopy(gi.copySrc!))) - 1 : undefined;
      groupIdx.push(copy === undefined ? { fused } : { fused, copy });
    }
    const s = opts.config.sampling;
    const samples: MultiSamples = await sampleVariants(variants, {
      rounds: opts.quick ? s.quickRounds : s.rounds, minRounds: s.minRounds, warmup: s.warmup,
      minSampleMs: s.minSampleMs, maxSeconds: s.maxSecondsPerSize,
    });

    // 5. Statistics.
    const boot = { resamples: s.bootstrapResamples, confidence: s.confidence };
    const stageIdx = (i: number): number => 2 + i;
    const U = 0;
    const F = 1;
    const stages: StageResult[] = plan.unfused.map((st) => {
      const label = spec.stages[st.index].fused;
      return { name: spec.stages[st.index].name, op: st.op, ...(label ? { fusedGroup: label } : {}), compute: summary(samples.compute[stageIdx(st.index)]) };
    });
    const groups: GroupResult[] = groupInfo.map((gi, k) => {
      const idx = groupIdx[k];
      const series = [...gi.g.indices.map((i) => samples.compute[stageIdx(i)]), samples.compute[idx.fused]];
      const microSpeedup = bootstrapStatistic(series, (m) => m.slice(0, -1).reduce((a, b) => a + b, 0) / m[m.length - 1], boot);
      const copy = idx.copy === undefined ? undefined : {
        elements: gi.copyElements, bytes: gi.copyElements * 8, compute: summary(samples.compute[idx.copy]),
        ratio: bootstrapRatioOfMedians(samples.compute[idx.fused], samples.compute[idx.copy], boot) as Interval,
      };
      return {
        label: gi.g.label, kernel: describeFusedCall(gi.g.call), stages: gi.g.indices.map((i) => spec.stages[i].name),
        elements: gi.elements, bytesUnfused: gi.bytesUnfused, bytesFused: gi.bytesFused,
        fusedAlone: summary(samples.compute[idx.fused]), microSpeedup, ...(copy ? { copy } : {}),
      };
    });
    // Series for the derived statistics: [U wall, (stage computes of group g…, fused compute of g) for each g].
    const derived: number[][] = [samples.wall[U]];
    const layout = groupInfo.map((gi, k) => {
      const stageAt = gi.g.indices.map((i) => derived.push(samples.compute[stageIdx(i)]) - 1);
      const fusedAt = derived.push(samples.compute[groupIdx[k].fused]) - 1;
      return { stageAt, fusedAt };
    });
    const parts = (m: readonly number[]): Array<{ coverage: number; speedup: number }> => {
      const raw = layout.map((l) => {
        const t = l.stageAt.reduce((a, i) => a + m[i], 0);
        return { coverage: t / m[0], speedup: t / m[l.fusedAt] };
      });
      const total = raw.reduce((a, r) => a + r.coverage, 0);
      return total > 1 ? raw.map((r) => ({ ...r, coverage: r.coverage / total })) : raw;
    };
    const runtimeShare = bootstrapStatistic(derived, (m) => parts(m).reduce((a, r) => a + r.coverage, 0), boot);
    const prediction = bootstrapStatistic(derived, (m) => amdahlParts(parts(m)), boot);
    const macro = bootstrapRatioOfMedians(samples.wall[U], samples.wall[F], boot) as Interval;
    const macroCompute = bootstrapRatioOfMedians(samples.compute[U], samples.compute[F], boot) as Interval;
    const stageSum = plan.unfused.reduce((a, st) => a + median(samples.compute[stageIdx(st.index)]), 0);

    const variantResult = async (i: number, fn: () => tf.Tensor): Promise<VariantResult> => ({
      wall: summary(samples.wall[i]), compute: summary(samples.compute[i]), kernels: await kernelNames(fn),
    });
    result = {
      ...base, status: 'ok', timing: mode, rounds: samples.rounds, correctness,
      unfused: await variantResult(U, () => state.unfused()),
      fused: await variantResult(F, () => state.fused()),
      stages, groups,
      coverage: { ...opCoverage(spec.stages.length, plan.groups), runtimeShare },
      prediction, macro, macroCompute,
      stageSumOverPipeline: stageSum / median(samples.compute[U]),
    };
  } catch (e) {
    const err = e as Error;
    result = { ...base, status: 'failed', error: `${err.name}: ${err.message}`.slice(0, 600) };
  } finally {
    for (const t of owned) t.dispose();
    tf.engine().endScope();
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) return { ...base, status: 'failed', error: `tensor leak: ${leaked} tensor(s) left after measuring ${spec.id} at ${base.size}` };
  return result;
}
