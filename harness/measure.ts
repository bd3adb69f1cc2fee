/**
 * Measures one suite at one size on one backend: correctness first, then interleaved timing.
 * Everything created is disposed; a leak is an error of the measurement, never a quiet remark.
 */
import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'node:perf_hooks';
import type {
  AnalyticCost, BackendAdapter, ErrorStats, HostInputs, HostTripCounts, ProfiledStats, SizeParams, SizeResult, SuiteSpec, Tensors, TimingStats, Tolerance, VariantStats,
} from './core/types.ts';
import { SuiteDeclarationError } from './core/errors.ts';
import { compareWithReference } from './core/correctness.ts';
import { sampleInterleaved, type InterleavedSamples, type IssueCall, type SamplingPlan } from './core/sampler.ts';
import { bootstrapRatioOfMedians, median, quantile, seededRandom } from './core/stats.ts';
import { relativeHalfWidth } from './processes.ts';
import type { FusebenchConfig } from './core/config.ts';
import { bytesAllocated, kernelNames, profileKernels } from './kernel-profile.ts';
import { refuseHostTrips } from './core/host_trips.ts';

export { VIEW_KERNELS, launchCount } from './core/launches.ts';

/** How often, in rounds, a process checks whether its interval is tight enough to stop, and how hard it looks. */
const STOP_CHECK_EVERY = 4;
const STOP_CHECK_RESAMPLES = 200;

/** Kernels one device-time measurement may queue while the stream is held (CUDA's queue holds about 1,000). */
const MAX_QUEUED_KERNELS = 512;

export interface MeasureOptions {
  readonly config: FusebenchConfig;
  readonly quick: boolean;
  /** Seed for the inputs; fresh per run unless given. */
  readonly seed?: number;
}

/** Host inputs as tensors of their own dtype, values exactly as the float64 reference sees them. */
export function toTensors(host: HostInputs): Tensors {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, h] of Object.entries(host)) {
    const values = h.dtype === 'int32' ? Int32Array.from(h.data) : Float32Array.from(h.data);
    out[name] = tf.tensor(values, [...h.shape], h.dtype);
  }
  return out;
}

export function toleranceFor(spec: Pick<SuiteSpec, 'tolerance'>, p: SizeParams, config: FusebenchConfig): Tolerance {
  const t = spec.tolerance;
  if (t === undefined) return config.tolerance;
  return typeof t === 'function' ? t(p) : t;
}

export interface Profiled {
  readonly kernels: string[];
  readonly bytesAllocated: number;
}

/** Kernel names and bytes allocated by one call, each kernel counted once (kernel-profile.ts); the scope disposes everything. */
export async function profileCall(fn: () => tf.Tensor): Promise<Profiled> {
  tf.engine().startScope();
  try {
    const { kernels } = await profileKernels(fn);
    return { kernels: kernelNames(kernels), bytesAllocated: bytesAllocated(kernels) };
  } finally {
    tf.engine().endScope();
  }
}

/** One variant's timing from the interleaved samples: variant `i`'s throughput, latency, K and device time. */
export function timingStats(samples: InterleavedSamples, i: number): TimingStats {
  const throughput = samples.throughput[i]!;
  const device = samples.device[i];
  return {
    throughputMs: median(throughput),
    callsPerSample: samples.callsPerSample[i]!,
    p10Ms: quantile(throughput, 0.1),
    p90Ms: quantile(throughput, 0.9),
    samplesMs: throughput,
    latencyMs: median(samples.latency[i]!),
    ...(device === undefined ? {} : { deviceMs: device }),
  };
}

/** Variant `i`'s timing with its profile. */
export function profiledStats(samples: InterleavedSamples, i: number, prof: Profiled): ProfiledStats {
  return { ...timingStats(samples, i), kernels: prof.kernels, bytesAllocated: prof.bytesAllocated };
}

function variantStats(samples: InterleavedSamples, i: number, prof: Profiled, flops: number, bytes: number): VariantStats {
  const t = profiledStats(samples, i, prof);
  return { ...t, gflops: flops / (t.throughputMs * 1e6), gbps: bytes / (t.throughputMs * 1e6) };
}

/** Async read: synchronous reads are unavailable on some GPU backends in Node (webgpu needs OffscreenCanvas). */
export async function readValues(t: tf.Tensor): Promise<Float64Array> {
  return Float64Array.from((await t.data()) as ArrayLike<number>);
}

/** Tensors and the two variants of one suite at one size, ready to call; `dispose` frees everything. */
export interface SizeState {
  readonly host: HostInputs;
  readonly unfused: () => tf.Tensor;
  readonly fused: () => tf.Tensor;
  dispose(): void;
}

export function buildSizeState(spec: SuiteSpec, p: SizeParams, rng: () => number): SizeState {
  const host = spec.inputs(p, rng);
  const inputs = toTensors(host);
  let prepared: Tensors = {};
  try {
    prepared = spec.prepare ? tf.tidy(() => spec.prepare!(inputs, p)) : {};
  } catch (e) {
    for (const t of Object.values(inputs)) t.dispose();
    throw e;
  }
  const all: Tensors = { ...inputs, ...prepared };
  return {
    host,
    unfused: () => tf.tidy(() => spec.unfused(all, p)),
    fused: () => tf.tidy(() => spec.fused(all, p)),
    dispose: () => {
      for (const t of Object.values(all)) t.dispose();
    },
  };
}

/**
 * The gate's A/B evidence (bench/gate-evidence.ts) injects a known regression into built-in patterns:
 * FUSEBENCH_INJECT_SLOWDOWN=Id1,Id2:0.15 makes those patterns' fused variant take 15% longer per call (it spins
 * for 15% of the call's own duration). CPU backends only, where a call has finished when it returns. Unset: no-op.
 */
function slowedForEvidence(id: string, fn: () => tf.Tensor, env: NodeJS.ProcessEnv = process.env): () => tf.Tensor {
  const spec = env.FUSEBENCH_INJECT_SLOWDOWN;
  if (!spec) return fn;
  const [ids, share] = spec.split(':');
  const extra = Number(share);
  if (!ids || !(extra > 0) || !ids.split(',').includes(id)) return fn;
  return () => {
    const t0 = performance.now();
    const out = fn();
    const until = t0 + (performance.now() - t0) * (1 + extra);
    while (performance.now() < until) { /* the injected extra work */ }
    return out;
  };
}

/**
 * One plan item being measured, between its correctness check and its result: what a front end needs to sample
 * it (the variants, by name, ready to call, and the sampling plan), then `finish` to build the result from the
 * samples and `end` to release everything (a failed result if any tensor was left behind). A suite has two
 * variants (unfused, fused); a pipeline has more (see measure-pipeline.ts). The same shape either way, so every
 * front end drives both alike.
 */
export interface Session<R> {
  /** Variant names, in sampling order. */
  readonly names: readonly string[];
  /** Each variant as a benchmark function: one call, returning what it computed. */
  readonly calls: ReadonlyArray<() => tf.Tensor>;
  /** The variants as the sampler drives them. */
  readonly variants: readonly IssueCall[];
  /** The sampling plan (the sampler's rules from the config, the launch budget from the profile). */
  readonly plan: SamplingPlan;
  /** Checked around the sampling, whichever front end samples: no host round trips while the variants are timed. */
  readonly timedRegion: TimedRegion;
  finish(samples: InterleavedSamples): R;
  /** Disposes the item's tensors; a failed result if any tensor was left behind. */
  end(result: R): R;
  /** A failed result of this item, for an error that stopped its sampling. */
  failed(e: unknown): R;
}

/** A suite at one size, being measured. */
export interface SizeSession extends Session<SizeResult> {
  readonly base: Pick<SizeResult, 'backend' | 'size' | 'params' | 'magnitude' | 'cost'>;
  readonly unfused: () => tf.Tensor;
  readonly fused: () => tf.Tensor;
  readonly correctness: { readonly unfused: ErrorStats; readonly fused: ErrorStats };
  readonly profiles: readonly [Profiled, Profiled];
}

/**
 * A session's timed region, for the check that keeps host round trips out of timings: the backend's host-trip
 * count (BackendAdapter.hostTrips: kernels run on the host through a fallback, value read-backs) must not move
 * while the variants are sampled.
 */
export interface TimedRegion {
  readonly backend: string;
  /** Names the region in the refusal, e.g. "the timed region of LayerNorm at 64x768". */
  readonly what: string;
  /** The backend's counter; absent for a backend whose kernels never leave the device. */
  readonly hostTrips?: () => HostTripCounts;
}

export function timedRegion(adapter: BackendAdapter, what: string): TimedRegion {
  return { backend: adapter.name, what, ...(adapter.hostTrips ? { hostTrips: adapter.hostTrips.bind(adapter) } : {}) };
}

/** Runs `call` (one variant's profiling call, or the sampling) refused if it moves the region's host-trip count; `what` names it. */
export function withoutHostTrips<T>(region: TimedRegion, what: string, call: () => Promise<T>): Promise<T> {
  return refuseHostTrips(region.backend, what, region.hostTrips, call);
}

/** The sampling plan of a run's config; a device-time measurement holds the stream until every call is queued, so it stays well inside the launch queue. */
export function samplingPlan(config: FusebenchConfig, quick: boolean, launchesPerCall: number): SamplingPlan {
  const s = config.sampling;
  return {
    rounds: quick ? s.quickRounds : s.rounds,
    minRounds: s.minRounds,
    warmup: s.warmup,
    warmupMs: s.warmupMs,
    minSampleMs: s.minSampleMs,
    maxSeconds: s.maxSecondsPerSize,
    cache: s.cache,
    deviceReps: s.deviceReps,
    maxDeviceCalls: Math.max(1, Math.floor(MAX_QUEUED_KERNELS / Math.max(1, launchesPerCall))),
    // Adaptive stopping within the process: every few rounds, a quick bootstrap of variant 0 (unfused) over variant 1 (fused).
    stop: (t) => t[0]!.length % STOP_CHECK_EVERY === 0 &&
      relativeHalfWidth(bootstrapRatioOfMedians(t[0]!, t[1]!, { resamples: STOP_CHECK_RESAMPLES })) <= s.targetHalfWidth,
  };
}

/** A variant as the sampler drives it: issue a call, release its output later. */
export function issueOf(fn: () => tf.Tensor): IssueCall {
  return () => {
    const out = fn();
    return () => out.dispose();
  };
}

/**
 * Opens a size: builds inputs, checks both variants against the float64 reference (before any timing), and
 * profiles what each launches and allocates. A failure of the size itself comes back as a failed SizeResult;
 * a fault of the suite declaration throws SuiteDeclarationError.
 */
export async function openSize(
  file: string, spec: SuiteSpec, adapter: BackendAdapter, p: SizeParams, opts: MeasureOptions,
): Promise<SizeSession | SizeResult> {
  const size = spec.label(p);
  const cost: AnalyticCost = spec.cost(p);
  const base = { backend: adapter.name, size, params: p, magnitude: spec.magnitude(p), cost };
  const tensorsBefore = tf.memory().numTensors;
  const rng = seededRandom(opts.seed ?? (Math.random() * 2 ** 32) >>> 0);
  const end = (result: SizeResult): SizeResult => {
    tf.engine().endScope();
    const leaked = tf.memory().numTensors - tensorsBefore;
    return leaked === 0 ? result : { ...base, status: 'failed', error: `tensor leak: ${leaked} tensor(s) left after measuring ${spec.id} at ${size}` };
  };
  tf.engine().startScope();
  try {
    const state = buildSizeState(spec, p, rng);
    const { host, unfused } = state;
    const fused = slowedForEvidence(spec.id, state.fused);

    // 1. Correctness, before any timing.
    const outU = unfused();
    const outF = fused();
    if (outU.shape.join(',') !== outF.shape.join(',')) {
      throw new SuiteDeclarationError(file, 'fused', `output shape [${outF.shape}] differs from unfused output shape [${outU.shape}] at size ${size}`);
    }
    const x64: Record<string, Float64Array> = {};
    for (const [k, h] of Object.entries(host)) x64[k] = h.data;
    const want = spec.reference(x64, p);
    if (want.length !== outU.size) {
      throw new SuiteDeclarationError(file, 'reference', `returned ${want.length} values; the output has ${outU.size} at size ${size}`);
    }
    const tol = toleranceFor(spec, p, opts.config);
    const correctness = {
      unfused: compareWithReference(await readValues(outU), want, tol),
      fused: compareWithReference(await readValues(outF), want, tol),
    };
    outU.dispose();
    outF.dispose();

    // 2. What each variant launches and allocates. This second call of each variant also shows whether it makes
    // host round trips on every call (a backend's fallback kernels): such a variant is not timed.
    const region = timedRegion(adapter, `the timed region of ${spec.id} at ${size}`);
    const profU = await withoutHostTrips(region, `the unfused variant of ${spec.id} at ${size}`, () => profileCall(unfused));
    const profF = await withoutHostTrips(region, `the fused variant of ${spec.id} at ${size}`, () => profileCall(fused));

    // 3. The sampling plan: interleaved, fenced, K calls per sample, nothing read back.
    const s = opts.config.sampling;
    const plan = samplingPlan(opts.config, opts.quick, Math.max(profU.kernels.length, profF.kernels.length));
    return {
      base, unfused, fused, correctness, profiles: [profU, profF], plan, timedRegion: region, end,
      names: ['unfused', 'fused'], calls: [unfused, fused], variants: [issueOf(unfused), issueOf(fused)],
      failed: (e) => failedResult(base, e),
      finish: (samples) => {
        const [uSamples, fSamples] = samples.throughput as [number[], number[]];
        const u = variantStats(samples, 0, profU, cost.flops, cost.bytesUnfused);
        const f = variantStats(samples, 1, profF, cost.flops, cost.bytesFused);
        const speedup = bootstrapRatioOfMedians(uSamples, fSamples, { resamples: s.bootstrapResamples, confidence: s.confidence });
        const memoryReduction = profU.bytesAllocated > 0 ? 1 - profF.bytesAllocated / profU.bytesAllocated : 0;
        return { ...base, status: 'ok', correctness, unfused: u, fused: f, speedup, memoryReduction, stoppedBy: samples.stoppedBy };
      },
    };
  } catch (e) {
    if (e instanceof SuiteDeclarationError) {
      tf.engine().endScope();
      throw e;
    }
    return end(failedResult(base, e));
  }
}

/** A size that could not be measured, with the error that stopped it. */
export function failedResult(base: SizeSession['base'], e: unknown): SizeResult {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ...base, status: 'failed', error: `${err.name}: ${err.message}`.slice(0, 600) };
}

/** How a front end takes an open session's samples (the one sampler, directly or through vitest's bench.compare). */
export type Sampling = (session: Session<unknown>) => Promise<InterleavedSamples>;

/** The one sampler, on a backend: every variant of the session, interleaved and fenced. */
export const sampleOn = (adapter: BackendAdapter): Sampling => (s) => sampleInterleaved(adapter, s.variants, s.plan);

/**
 * Samples an open session and builds its result; everything is released either way. A result passes through.
 * Every front end samples here (measureSize, the runner's and the workers' measureItem, vitest's bench.compare
 * through the provider, pipelines), so the host-trip check around the sampling is here too.
 */
export async function sampleSession<R>(session: Session<R> | R, sample: Sampling): Promise<R> {
  if (!isSession(session)) return session;
  let result: R;
  try {
    const region = session.timedRegion;
    result = session.finish(await withoutHostTrips(region, region.what, () => sample(session as Session<unknown>)));
  } catch (e) {
    result = session.failed(e);
  }
  return session.end(result);
}

export function isSession<R>(x: Session<R> | R): x is Session<R> {
  return x !== null && typeof x === 'object' && 'finish' in x;
}

/** Correctness, profile, interleaved fenced timing and the result of one suite at one size on one backend. */
export async function measureSize(
  file: string, spec: SuiteSpec, adapter: BackendAdapter, p: SizeParams, opts: MeasureOptions,
): Promise<SizeResult> {
  return sampleSession(await openSize(file, spec, adapter, p, opts), sampleOn(adapter));
}
