/**
 * Measures a backend's roofline ceilings with tfjs ops: the fp32 matmul rate it achieves (compute roof)
 * and the bandwidth an elementwise op achieves (memory roof). Each ceiling is held to a time budget.
 *
 * Work is counted, never guessed: a matMul of two n×n matrices is 2·n³ FLOPs; relu(x[N]) moves 4·N bytes in
 * and 4·N out; add(x[N], y[N]) moves 8·N in and 4·N out. Nothing is read back: a sample ends with the device
 * fence, because reading a large output would time the device→host copy instead of the op.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter } from '../core/types.ts';
import { median } from '../core/stats.ts';
import { chooseCallsPerSample, deviceTimePerCall, throughputSample, warmUp, type IssueCall } from '../core/sampler.ts';
import type { CeilingMeasurement, CeilingPoint, MeasuredCeilings } from '../core/ceilings.ts';

export interface CeilingOptions {
  /** Wall-clock budget of each ceiling in ms (default 3000). Every probe keeps at least 3 samples. */
  readonly budgetMs?: number;
  /** Square matmul sides to try, ascending (default 128…8192). */
  readonly matmulSizes?: readonly number[];
  /** Elementwise element counts to try, ascending (default 2^20…2^26). */
  readonly bandwidthSizes?: readonly number[];
  /** A sample runs calls back to back until it lasts at least this long (default 20 ms), so the fence that ends it is small against the work. */
  readonly minSampleMs?: number;
  readonly onProgress?: (line: string) => void;
}

const DEFAULT_MATMUL_SIZES = [128, 256, 512, 1024, 2048, 4096, 8192];
const DEFAULT_BANDWIDTH_SIZES = [2 ** 20, 2 ** 22, 2 ** 24, 2 ** 26];
const DEFAULT_MIN_SAMPLE_MS = 20;
const MIN_SAMPLES = 3;
const MAX_SAMPLES = 15;

export const CEILING_TIMING =
  'per probe: untimed warm-up calls, then ≥ 3 samples through the harness sampler; a sample is k back-to-back calls ' +
  '(k raised until it lasts ≥ 20 ms, at most 256) then one device fence, nothing read back; per-call time = sample / k; ' +
  'the probe reports the median; device time (kernel_ms) is the device clock over k calls where the backend has one';

interface Probe {
  readonly op: string;
  readonly size: number;
  readonly work: number;
  readonly call: () => tf.Tensor;
}

/** Times one probe until `deadline` (keeping at least MIN_SAMPLES) and returns its point. */
async function timeProbe(adapter: BackendAdapter, probe: Probe, deadline: number, minSampleMs: number): Promise<CeilingPoint> {
  const issue: IssueCall = () => {
    const out = probe.call();
    return () => out.dispose();
  };
  await warmUp(adapter, issue, 2);
  const k = await chooseCallsPerSample(adapter, issue, minSampleMs, 256);
  const perCall: number[] = [];
  while (perCall.length < MIN_SAMPLES || (perCall.length < MAX_SAMPLES && performance.now() < deadline)) {
    perCall.push(await throughputSample(adapter, issue, k));
  }
  const ms = median(perCall);
  const point = { op: probe.op, size: probe.size, work_per_call: probe.work, samples: perCall.length, calls_per_sample: k, median_ms: ms, rate: probe.work / (ms * 1e6) };
  const device = await deviceTimePerCall(adapter, issue, k, 3);
  return device === undefined || !(device > 0) ? point : { ...point, kernel_ms: device, kernel_rate: probe.work / (device * 1e6) };
}

/**
 * Runs probes of growing size within a budget. The sweep stops at the first size whose predicted call
 * time (scaled from the previous size by `growth`) would not leave room for its warm-up and MIN_SAMPLES samples.
 */
async function sweep(
  adapter: BackendAdapter,
  sizes: readonly number[],
  probesPerSize: number,
  makeProbes: (size: number) => { probes: Probe[]; dispose: () => void },
  growth: (from: number, to: number) => number,
  budgetMs: number,
  minSampleMs: number,
  log: (line: string) => void,
): Promise<CeilingPoint[]> {
  const start = performance.now();
  const end = start + budgetMs;
  const points: CeilingPoint[] = [];
  let previous: { size: number; ms: number } | undefined;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i];
    const now = performance.now();
    if (previous) {
      const predicted = previous.ms * growth(previous.size, size);
      // warm-up + two estimates + MIN_SAMPLES calls of each probe must fit in what is left
      if (now + predicted * (MIN_SAMPLES + 3) * probesPerSize > end) break;
    }
    const { probes, dispose } = makeProbes(size);
    try {
      for (let j = 0; j < probes.length; j++) {
        const left = Math.max(0, end - performance.now());
        const share = left / ((sizes.length - i) * probes.length - j);
        const point = await timeProbe(adapter, probes[j], performance.now() + share, minSampleMs);
        points.push(point);
        log(`  ${point.op} ${point.size}: ${point.median_ms.toFixed(3)} ms/call, ${point.rate.toFixed(2)}`);
        previous = { size, ms: Math.max(previous && previous.size === size ? previous.ms : 0, point.median_ms) };
      }
    } finally {
      dispose();
    }
  }
  return points;
}

function best(points: readonly CeilingPoint[]): CeilingPoint {
  return points.reduce((a, b) => (b.rate > a.rate ? b : a));
}

/** Achieved fp32 matmul GFLOP/s: the highest median rate over the square sizes that fit the budget. */
export async function measureMatmulCeiling(adapter: BackendAdapter, opts: CeilingOptions = {}): Promise<CeilingMeasurement> {
  const log = opts.onProgress ?? (() => {});
  const points = await sweep(
    adapter,
    opts.matmulSizes ?? DEFAULT_MATMUL_SIZES,
    1,
    (n) => {
      const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
      const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
      return {
        probes: [{ op: 'matMul', size: n, work: 2 * n ** 3, call: () => tf.matMul(a, b) }],
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
    (from, to) => (to / from) ** 3,
    opts.budgetMs ?? 3000,
    opts.minSampleMs ?? DEFAULT_MIN_SAMPLE_MS,
    log,
  );
  if (points.length === 0) throw new Error(`matmul ceiling on ${adapter.name}: no size could be measured`);
  return {
    method: 'matMul of two n×n float32 matrices, 2·n³ FLOPs per call; the ceiling is the highest median GFLOP/s over the sizes tried',
    from: best(points),
    points,
  };
}

/**
 * Achieved bandwidth, GB/s: relu (4·N bytes read + 4·N written) and add (8·N read + 4·N written) at growing N.
 * The ceiling is the better of the two ops at the largest N measured, so that it describes global memory
 * rather than a cache that holds the smaller arrays (the smaller points stay in the profile).
 */
export async function measureBandwidthCeiling(adapter: BackendAdapter, opts: CeilingOptions = {}): Promise<CeilingMeasurement> {
  const log = opts.onProgress ?? (() => {});
  const points = await sweep(
    adapter,
    opts.bandwidthSizes ?? DEFAULT_BANDWIDTH_SIZES,
    2,
    (n) => {
      const x = tf.randomUniform([n], -1, 1, 'float32', 3);
      const y = tf.randomUniform([n], -1, 1, 'float32', 4);
      return {
        probes: [
          { op: 'relu', size: n, work: 8 * n, call: () => tf.relu(x) },
          { op: 'add', size: n, work: 12 * n, call: () => tf.add(x, y) },
        ],
        dispose: () => { x.dispose(); y.dispose(); },
      };
    },
    (from, to) => to / from,
    opts.budgetMs ?? 3000,
    opts.minSampleMs ?? DEFAULT_MIN_SAMPLE_MS,
    log,
  );
  if (points.length === 0) throw new Error(`bandwidth ceiling on ${adapter.name}: no size could be measured`);
  const largest = Math.max(...points.map((p) => p.size));
  return {
    method: 'relu (8·N bytes per call) and add (12·N bytes per call) on float32[N]; the ceiling is the better op at the largest N measured',
    from: best(points.filter((p) => p.size === largest)),
    points,
  };
}

/** Both ceilings on an initialised backend (the caller has run `adapter.init()`). Leaves no tensor behind. */
export async function measureCeilings(adapter: BackendAdapter, opts: CeilingOptions = {}): Promise<MeasuredCeilings> {
  const log = opts.onProgress ?? (() => {});
  const before = tf.memory().numTensors;
  log(`ceilings on ${adapter.name}: matmul`);
  const matmul = await measureMatmulCeiling(adapter, opts);
  log(`ceilings on ${adapter.name}: bandwidth`);
  const bandwidth = await measureBandwidthCeiling(adapter, opts);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`ceiling measurement leaked ${leaked} tensor(s) on ${adapter.name}`);
  const gflops = matmul.from.rate;
  const gbps = bandwidth.from.rate;
  const kernelGflops = matmul.from.kernel_rate;
  const kernelGbps = bandwidth.from.kernel_rate;
  return {
    matmul_gflops: gflops,
    bandwidth_gbps: gbps,
    ridge_flops_per_byte: gflops / gbps,
    ...(kernelGflops !== undefined && kernelGbps !== undefined ? { kernel: { matmul_gflops: kernelGflops, bandwidth_gbps: kernelGbps } } : {}),
    matmul,
    bandwidth,
    timing: CEILING_TIMING,
  };
}
