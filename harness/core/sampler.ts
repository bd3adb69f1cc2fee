/**
 * Interleaved, fenced sampling of N variants (two for a fusion pattern: unfused and fused).
 *
 * A throughput sample is K back-to-back calls of one variant, each output released once the next call has
 * been issued (so memory stays bounded), then one fence; nothing is read back. Its per-call time is the
 * sample's wall time ÷ K. Each round takes one sample of every variant, in alternating order (ABBA… for two),
 * so drift on a shared machine hits all variants alike and rounds can be paired. After each throughput sample
 * the variant is also called once alone (call + fence on an idle device): its latency.
 *
 * Where the device can tell its own time (`deviceTime`), each variant's K calls are also timed on the device.
 * With `cache: 'cold'`, the caches are evicted before every sample, outside the timed region, and a sample is
 * one call (a second call would find the first one's data cached).
 *
 * Pure over callbacks: no tfjs here, so the sampler is tested with a fake asynchronous device.
 */
import { performance } from 'node:perf_hooks';
import { median } from './stats.ts';

/** Issues one call without waiting for it; returns what releases its output. */
export type IssueCall = () => () => void;

/** What the sampler needs of a backend; a BackendAdapter provides it. */
export interface SamplingDevice {
  /** Resolves once every issued call has finished on the device. */
  sync(): Promise<void>;
  deviceTime?(issue: () => void): Promise<number | undefined>;
  evictCache?(): Promise<void>;
}

export type CacheState = 'warm' | 'cold';

export interface SamplingPlan {
  /** At most this many rounds… */
  readonly rounds: number;
  /** …and at least this many, whatever `maxSeconds` or `stop` say. */
  readonly minRounds: number;
  /** Untimed lone calls of each variant before sampling (first-call compilation included)… */
  readonly warmup: number;
  /** …and keep warming up until this much time has passed (JIT tiers, allocator growth settle). */
  readonly warmupMs?: number;
  /** K is raised until one throughput sample lasts at least this long. */
  readonly minSampleMs: number;
  /** Stop adding rounds after this many seconds (keeping at least minRounds). */
  readonly maxSeconds: number;
  readonly cache: CacheState;
  /** Device-time measurements per variant (each over K calls), where the device times itself. */
  readonly deviceReps?: number;
  /** Upper bound on the calls one device-time measurement may queue (the device's launch queue is finite). */
  readonly maxDeviceCalls?: number;
  /** Adaptive stop, checked after each round from minRounds on: true ends the sampling. */
  readonly stop?: (throughput: readonly (readonly number[])[]) => boolean;
}

export interface InterleavedSamples {
  /** [variant][round]: per-call milliseconds of each throughput sample. */
  readonly throughput: number[][];
  /** [variant][round]: milliseconds of one lone call plus the fence. */
  readonly latency: number[][];
  /** [variant]: median device milliseconds per call, where measured. */
  readonly device: Array<number | undefined>;
  /** [variant]: K, the calls per throughput sample, raised for each variant until a sample lasts minSampleMs (1 when cold). */
  readonly callsPerSample: number[];
  /** [round]: the order the variants ran in. */
  readonly order: number[][];
  /** Why sampling stopped: the round limit, the time budget, or the adaptive rule. */
  readonly stoppedBy: 'rounds' | 'budget' | 'converged';
}

/**
 * Issues `calls` calls back to back, releasing each output once the next one is issued; returns the release
 * of the last output, for after the fence.
 */
export function issueBackToBack(issue: IssueCall, calls: number): () => void {
  let release = issue();
  for (let i = 1; i < calls; i++) {
    const next = issue();
    release();
    release = next;
  }
  return release;
}

/** One throughput sample: per-call ms of `calls` back-to-back calls and one fence. */
export async function throughputSample(device: SamplingDevice, issue: IssueCall, calls: number): Promise<number> {
  const t0 = performance.now();
  const releaseLast = issueBackToBack(issue, calls);
  await device.sync();
  releaseLast();
  return (performance.now() - t0) / calls;
}

/** One lone call plus the fence. */
export async function latencySample(device: SamplingDevice, issue: IssueCall): Promise<number> {
  const t0 = performance.now();
  const release = issue();
  await device.sync();
  release();
  return performance.now() - t0;
}

/** Warm-up stops counting calls once it has lasted this long: a call this slow has long left the JIT's lower tiers. */
export const WARMUP_CALLS_CAP_MS = 500;

/**
 * Untimed lone calls: first-call compilation, kernel caches, allocator warm-up. At least `times` calls (one at
 * the least; fewer once they have taken WARMUP_CALLS_CAP_MS, so a 300 ms call is not warmed for a second) and at
 * least `minMs`; returns the median latency of the calls after the first.
 */
export async function warmUp(device: SamplingDevice, issue: IssueCall, times: number, minMs = 0): Promise<number> {
  const start = performance.now();
  const seen: number[] = [];
  const more = (i: number, elapsed: number): boolean => i === 0 || (i < times && elapsed < WARMUP_CALLS_CAP_MS) || elapsed < minMs;
  for (let i = 0; more(i, performance.now() - start); i++) {
    seen.push(await latencySample(device, issue));
    if (i > 10_000) break;
  }
  return median(seen.length > 1 ? seen.slice(1) : seen);
}

/** K such that K pipelined calls of the quickest variant last at least `minSampleMs` (timeit's autorange). */
export async function chooseCallsPerSample(device: SamplingDevice, issue: IssueCall, minSampleMs: number, maxCalls = 1_000_000): Promise<number> {
  let k = 1;
  for (;;) {
    const total = (await throughputSample(device, issue, k)) * k;
    if (total >= minSampleMs || k >= maxCalls) return k;
    const grow = total > 0 ? Math.ceil((minSampleMs / total) * 1.2) : 10;
    k = Math.min(maxCalls, k * Math.min(10, Math.max(2, grow)));
  }
}

/** Round r's order: forward on even rounds, reversed on odd ones (ABBA for two variants). */
export function roundOrder(variants: number, round: number): number[] {
  const order = Array.from({ length: variants }, (_, i) => i);
  return round % 2 === 0 ? order : order.reverse();
}

/** Median device ms per call over `reps` measurements of `calls` back-to-back calls (undefined if any is unmeasurable). */
export async function deviceTimePerCall(device: SamplingDevice, issue: IssueCall, calls: number, reps: number, cold = false): Promise<number | undefined> {
  if (!device.deviceTime) return undefined;
  const seen: number[] = [];
  for (let r = 0; r < reps; r++) {
    if (cold) {
      await device.evictCache!();
      await device.sync();
    }
    let releaseLast = (): void => {};
    const ms = await device.deviceTime!(() => {
      releaseLast = issueBackToBack(issue, calls);
    });
    await device.sync();
    releaseLast();
    if (ms === undefined || !Number.isFinite(ms)) return undefined;
    seen.push(ms / calls);
  }
  return seen.length ? median(seen) : undefined;
}

export async function sampleInterleaved(device: SamplingDevice, variants: readonly IssueCall[], plan: SamplingPlan): Promise<InterleavedSamples> {
  if (variants.length === 0) throw new Error('sampleInterleaved: no variants');
  const cold = plan.cache === 'cold';
  if (cold && !device.evictCache) throw new Error('sampling.cache "cold": this backend cannot evict its caches');
  const warmLatency: number[] = [];
  for (const v of variants) warmLatency.push(await warmUp(device, v, plan.warmup, plan.warmupMs ?? 0));
  // Each variant its own K: a fused call 20× quicker than the unfused one must not make the unfused samples 20× longer.
  // A variant whose lone warm call already lasts a sample needs no search (K = 1; the search would make one more
  // call); the 1.5× margin keeps a call near the boundary, whose lone time includes a fence, in the search.
  const ks: number[] = [];
  for (const [i, v] of variants.entries()) {
    ks.push(cold || warmLatency[i]! >= plan.minSampleMs * 1.5 ? 1 : await chooseCallsPerSample(device, v, plan.minSampleMs));
  }

  const throughput: number[][] = variants.map(() => []);
  const latency: number[][] = variants.map(() => []);
  const order: number[][] = [];
  const deadline = performance.now() + plan.maxSeconds * 1000;
  let stoppedBy: InterleavedSamples['stoppedBy'] = 'rounds';
  for (let r = 0; r < plan.rounds; r++) {
    if (r >= plan.minRounds) {
      if (plan.stop?.(throughput)) {
        stoppedBy = 'converged';
        break;
      }
      if (performance.now() > deadline) {
        stoppedBy = 'budget';
        break;
      }
    }
    const o = roundOrder(variants.length, r);
    for (const i of o) {
      const issue = variants[i]!;
      if (cold) {
        await device.evictCache!();
        await device.sync();
        const ms = await latencySample(device, issue);
        throughput[i]!.push(ms);
        latency[i]!.push(ms);
      } else if (ks[i] === 1) {
        // A sample of one call is a lone call and the fence: it is the latency sample too (a call that long
        // would only double the size's time if timed again).
        const ms = await throughputSample(device, issue, 1);
        throughput[i]!.push(ms);
        latency[i]!.push(ms);
      } else {
        throughput[i]!.push(await throughputSample(device, issue, ks[i]!));
        latency[i]!.push(await latencySample(device, issue));
      }
    }
    order.push(o);
  }

  const device_: Array<number | undefined> = [];
  if (device.deviceTime) {
    for (let i = 0; i < variants.length; i++) {
      const calls = Math.max(1, Math.min(ks[i]!, plan.maxDeviceCalls ?? ks[i]!));
      device_.push(await deviceTimePerCall(device, variants[i]!, calls, plan.deviceReps ?? 5, cold));
    }
  } else {
    for (let i = 0; i < variants.length; i++) device_.push(undefined);
  }
  return { throughput, latency, device: device_, callsPerSample: ks, order, stoppedBy };
}

/**
 * The harness's own cost per call on a backend: the pipelined per-call time of `calls` back-to-back calls of
 * a one-element op through the sampler, against the same op dispatched bare in a loop. Medians of `reps`.
 */
export async function measureOverhead(device: SamplingDevice, wrapped: IssueCall, bare: () => void, calls = 100, reps = 30): Promise<{ harnessMs: number; bareMs: number }> {
  await warmUp(device, wrapped, 10);
  const harness: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < reps; r++) {
    harness.push(await throughputSample(device, wrapped, calls));
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) bare();
    await device.sync();
    plain.push((performance.now() - t0) / calls);
  }
  return { harnessMs: median(harness), bareMs: median(plain) };
}
