/**
 * Measures one suite at one size on one backend: correctness first, then interleaved timing.
 * Everything created is disposed; a leak is an error of the measurement, not a silent footnote.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  AnalyticCost, BackendAdapter, ErrorStats, HostInputs, SizeParams, SizeResult, SuiteSpec, Tensors, Tolerance, VariantStats,
} from './core/types.ts';
import { SuiteDeclarationError } from './core/errors.ts';
import { compareWithReference } from './core/correctness.ts';
import { sampleInterleaved, type IssueCall } from './core/sampler.ts';
import { bootstrapRatioOfMedians, median, quantile, seededRandom } from './core/stats.ts';
import { judge } from './core/verdicts.ts';
import { VIEW_KERNELS } from './core/launches.ts';
import { refuseHostTrips } from './core/host_trips.ts';

export { VIEW_KERNELS, launchCount } from './core/launches.ts';

/** Kernels one device-time measurement may queue while the stream is held (CUDA's queue holds about 1,000). */
const MAX_QUEUED_KERNELS = 512;
import type { FusebenchConfig } from './core/config.ts';

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

function toleranceFor(spec: SuiteSpec, p: SizeParams, config: FusebenchConfig): Tolerance {
  const t = spec.tolerance;
  if (t === undefined) return config.tolerance;
  return typeof t === 'function' ? t(p) : t;
}

interface Profiled {
  readonly kernels: string[];
  readonly bytesAllocated: number;
}

/** Kernel names and bytes allocated by one call, from tf.profile; intermediates are disposed by the scope. */
async function profileCall(fn: () => tf.Tensor): Promise<Profiled> {
  tf.engine().startScope();
  try {
    const info = await tf.profile(() => fn());
    // `name__op` entries are op scopes (custom gradients), not kernels. bytesAdded sums every output
    // a kernel allocated, intermediates included (newBytes would only count what survives the call).
    const kernels = info.kernels.filter((k) => !k.name.endsWith('__op'));
    return { kernels: kernels.map((k) => k.name), bytesAllocated: kernels.filter((k) => !VIEW_KERNELS.has(k.name)).reduce((sum, k) => sum + Math.max(0, k.bytesAdded), 0) };
  } finally {
    tf.engine().endScope();
  }
}

function variantStats(samples: number[], latency: number[], calls: number, prof: Profiled, flops: number, bytes: number, deviceMs?: number): VariantStats {
  const med = median(samples);
  return {
    throughputMs: med,
    callsPerSample: calls,
    p10Ms: quantile(samples, 0.1),
    p90Ms: quantile(samples, 0.9),
    samplesMs: samples,
    latencyMs: median(latency),
    ...(deviceMs === undefined ? {} : { deviceMs }),
    kernels: prof.kernels,
    bytesAllocated: prof.bytesAllocated,
    gflops: flops / (med * 1e6),
    gbps: bytes / (med * 1e6),
  };
}

/** Async read: synchronous reads are unavailable on some GPU backends in Node (webgpu needs OffscreenCanvas). */
async function readValues(t: tf.Tensor): Promise<Float64Array> {
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

export async function measureSize(
  file: string, spec: SuiteSpec, adapter: BackendAdapter, p: SizeParams, opts: MeasureOptions,
): Promise<SizeResult> {
  const size = spec.label(p);
  const cost: AnalyticCost = spec.cost(p);
  const base = { backend: adapter.name, size, params: p, magnitude: spec.magnitude(p), cost };
  const tensorsBefore = tf.memory().numTensors;
  const rng = seededRandom(opts.seed ?? (Math.random() * 2 ** 32) >>> 0);
  tf.engine().startScope();
  let result: SizeResult;
  try {
    const { host, unfused, fused } = buildSizeState(spec, p, rng);

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
    const correctness: { unfused: ErrorStats; fused: ErrorStats } = {
      unfused: compareWithReference(await readValues(outU), want, tol),
      fused: compareWithReference(await readValues(outF), want, tol),
    };
    outU.dispose();
    outF.dispose();

    // 2. What each variant launches and allocates. This second call of each variant also shows whether it makes
    // host round trips on every call (a backend's fallback kernels): such a variant is not timed.
    const trips = adapter.hostTrips?.bind(adapter);
    const profU = await refuseHostTrips(adapter.name, `the unfused variant of ${spec.id} at ${size}`, trips, () => profileCall(unfused));
    const profF = await refuseHostTrips(adapter.name, `the fused variant of ${spec.id} at ${size}`, trips, () => profileCall(fused));

    // 3. Interleaved, fenced timing: K calls per sample, one fence, nothing read back.
    const issue = (fn: () => tf.Tensor): IssueCall => () => {
      const out = fn();
      return () => out.dispose();
    };
    const s = opts.config.sampling;
    const launches = Math.max(1, profU.kernels.length, profF.kernels.length);
    const samples = await refuseHostTrips(adapter.name, `the timed region of ${spec.id} at ${size}`, trips, () => sampleInterleaved(adapter, [issue(unfused), issue(fused)], {
      rounds: opts.quick ? s.quickRounds : s.rounds,
      minRounds: s.minRounds,
      warmup: s.warmup,
      warmupMs: s.warmupMs,
      minSampleMs: s.minSampleMs,
      maxSeconds: s.maxSecondsPerSize,
      cache: s.cache,
      deviceReps: s.deviceReps,
      // A device-time measurement holds the stream until every call is queued: stay well inside the launch queue.
      maxDeviceCalls: Math.max(1, Math.floor(MAX_QUEUED_KERNELS / launches)),
    }));
    const [uSamples, fSamples] = samples.throughput as [number[], number[]];
    const u = variantStats(uSamples, samples.latency[0]!, samples.callsPerSample[0]!, profU, cost.flops, cost.bytesUnfused, samples.device[0]);
    const f = variantStats(fSamples, samples.latency[1]!, samples.callsPerSample[1]!, profF, cost.flops, cost.bytesFused, samples.device[1]);
    const speedup = bootstrapRatioOfMedians(uSamples, fSamples, {
      resamples: s.bootstrapResamples, confidence: s.confidence,
    });
    const memoryReduction = profU.bytesAllocated > 0 ? 1 - profF.bytesAllocated / profU.bytesAllocated : 0;
    const judgement = judge(speedup, correctness.fused.ok, spec.predictions[adapter.kind]);
    result = { ...base, status: 'ok', correctness, unfused: u, fused: f, speedup, memoryReduction, judgement, stoppedBy: samples.stoppedBy };
  } catch (e) {
    if (e instanceof SuiteDeclarationError) throw e;
    const err = e as Error;
    result = { ...base, status: 'failed', error: `${err.name}: ${err.message}`.slice(0, 600) };
  } finally {
    tf.engine().endScope();
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) {
    return { ...base, status: 'failed', error: `tensor leak: ${leaked} tensor(s) left after measuring ${spec.id} at ${size}` };
  }
  return result;
}
