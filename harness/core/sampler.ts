/**
 * Interleaved sampling of two variants. Each round times A and B back to back, alternating which goes
 * first (ABBA…), so drift on a shared machine hits both equally and the bootstrap can pair rounds.
 * Every sample ends with its result read back, so asynchronous backends are timed to completion.
 */
import { performance } from 'node:perf_hooks';

/** Runs one call and resolves once its result is on the host. */
export type TimedCall = () => Promise<void>;

export interface SamplingPlan {
  readonly rounds: number;
  readonly minRounds: number;
  readonly warmup: number;
  /** …and keep warming up until this much time has passed (JIT tiers, allocator growth settle). */
  readonly warmupMs?: number;
  /** Calls per sample are raised until one sample lasts at least this long. */
  readonly minSampleMs: number;
  /** Stop adding rounds after this many seconds (keeping at least minRounds). */
  readonly maxSeconds: number;
}

export interface InterleavedSamples {
  /** Per-call milliseconds, one entry per round, in round order. */
  readonly a: number[];
  readonly b: number[];
  readonly callsPerSample: number;
  /** Which variant went first in each round. */
  readonly order: ReadonlyArray<'ab' | 'ba'>;
}

async function timeCalls(call: TimedCall, calls: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return (performance.now() - t0) / calls;
}

/**
 * Untimed calls: first-call compilation, shader/kernel caches, allocator warm-up. Runs at least `times`
 * calls and at least `minMs`; returns the median time of the calls made after the first.
 */
export async function warmUp(call: TimedCall, times: number, minMs = 0): Promise<number> {
  const start = performance.now();
  const seen: number[] = [];
  for (let i = 0; i < times || performance.now() - start < minMs; i++) {
    seen.push(await timeCalls(call, 1));
    if (i > 10_000) break;
  }
  const settled = seen.length > 1 ? seen.slice(1) : seen;
  settled.sort((x, y) => x - y);
  return settled[Math.floor(settled.length / 2)];
}

export async function sampleInterleaved(a: TimedCall, b: TimedCall, plan: SamplingPlan): Promise<InterleavedSamples> {
  const one = Math.min(await warmUp(a, plan.warmup, plan.warmupMs ?? 0), await warmUp(b, plan.warmup, plan.warmupMs ?? 0));
  const callsPerSample = Math.max(1, Math.ceil(plan.minSampleMs / Math.max(one, 1e-3)));
  const sa: number[] = [];
  const sb: number[] = [];
  const order: Array<'ab' | 'ba'> = [];
  const deadline = performance.now() + plan.maxSeconds * 1000;
  for (let r = 0; r < plan.rounds; r++) {
    if (r >= plan.minRounds && performance.now() > deadline) break;
    if (r % 2 === 0) {
      sa.push(await timeCalls(a, callsPerSample));
      sb.push(await timeCalls(b, callsPerSample));
      order.push('ab');
    } else {
      sb.push(await timeCalls(b, callsPerSample));
      sa.push(await timeCalls(a, callsPerSample));
      order.push('ba');
    }
  }
  return { a: sa, b: sb, callsPerSample, order };
}

/**
 * What the sampling loop itself costs per call on a backend: the median of `calls` timed calls that run a
 * one-element kernel and read it back. An upper bound on the harness's share of each sample.
 */
export async function measureOverhead(call: TimedCall, calls = 200): Promise<number> {
  await warmUp(call, 10);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) times.push(await timeCalls(call, 1));
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}
