/**
 * Interleaved sampling of many variants (a pipeline, its stages alone, its fused kernels alone, a copy).
 * Each round runs every variant once, starting at a different variant each round and alternating direction,
 * so drift on a shared machine spreads over all of them and rounds can be resampled as units.
 * Every call ends with the device fence (nothing is read back).
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter } from '../core/types.ts';

/**
 * How the compute part of a call is timed (the wall time always runs to the device fence):
 * - `sync-compute`: the backend runs kernels synchronously (cpu, wasm), so the time until the op returns is its compute time;
 * - `kernel-timer`: tf.time's kernelMs (GPU timestamp queries);
 * - `wall`: no way to separate compute from read-back; compute = wall.
 */
export type TimingMode = 'sync-compute' | 'kernel-timer' | 'wall';

export function timingModeFor(adapter: BackendAdapter): TimingMode {
  if (adapter.kind === 'cpu') return 'sync-compute';
  return adapter.hasKernelTiming ? 'kernel-timer' : 'wall';
}

export function describeTimingMode(mode: TimingMode): string {
  switch (mode) {
    case 'sync-compute':
      return 'compute = wall time until the op returns (kernels run synchronously on this backend); wall = compute + the fence';
    case 'kernel-timer':
      return 'compute = tf.time kernelMs (device timestamps); wall = until the device fence';
    case 'wall':
      return 'compute = wall time to the device fence (this backend offers no way to separate them)';
  }
}

export interface CallTimes {
  readonly wallMs: number;
  readonly computeMs: number;
}

/** One call of a variant: run, time, read back, dispose. */
export async function timedCall(fn: () => tf.Tensor, adapter: BackendAdapter, mode: TimingMode): Promise<CallTimes> {
  const t0 = performance.now();
  let out: tf.Tensor | undefined;
  let computeMs: number;
  if (mode === 'kernel-timer') {
    const info = await tf.time(() => {
      out = fn();
    });
    computeMs = typeof info.kernelMs === 'number' ? info.kernelMs : Number.NaN;
  } else {
    out = fn();
    computeMs = performance.now() - t0;
  }
  try {
    await adapter.sync();
  } finally {
    out!.dispose();
  }
  const wallMs = performance.now() - t0;
  return { wallMs, computeMs: mode === 'wall' ? wallMs : computeMs };
}

export interface NamedVariant {
  readonly name: string;
  readonly call: () => Promise<CallTimes>;
}

export interface MultiSamplingPlan {
  readonly rounds: number;
  readonly minRounds: number;
  readonly warmup: number;
  readonly minSampleMs: number;
  readonly maxSeconds: number;
}

export interface MultiSamples {
  /** [variant][round]: per-call milliseconds. */
  readonly wall: number[][];
  readonly compute: number[][];
  readonly callsPerSample: number[];
  readonly rounds: number;
}

/** The order of variants in round r: a rotation by r, reversed on odd rounds. */
export function roundOrder(count: number, round: number): number[] {
  const order = Array.from({ length: count }, (_, i) => (i + round) % count);
  return round % 2 === 1 ? order.reverse() : order;
}

export async function sampleVariants(variants: readonly NamedVariant[], plan: MultiSamplingPlan): Promise<MultiSamples> {
  const callsPerSample: number[] = [];
  for (const v of variants) {
    let last = Number.POSITIVE_INFINITY;
    for (let i = 0; i < plan.warmup; i++) last = (await v.call()).wallMs;
    callsPerSample.push(Math.max(1, Math.ceil(plan.minSampleMs / Math.max(last, 1e-3))));
  }
  const wall = variants.map(() => [] as number[]);
  const compute = variants.map(() => [] as number[]);
  const deadline = performance.now() + plan.maxSeconds * 1000;
  let rounds = 0;
  for (let r = 0; r < plan.rounds; r++) {
    if (r >= plan.minRounds && performance.now() > deadline) break;
    for (const i of roundOrder(variants.length, r)) {
      let w = 0;
      let c = 0;
      for (let k = 0; k < callsPerSample[i]; k++) {
        const t = await variants[i].call();
        w += t.wallMs;
        c += t.computeMs;
      }
      wall[i].push(w / callsPerSample[i]);
      compute[i].push(c / callsPerSample[i]);
    }
    rounds++;
  }
  return { wall, compute, callsPerSample, rounds };
}
