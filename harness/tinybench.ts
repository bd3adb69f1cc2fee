/**
 * The CLI's tinybench pass: the same two calls timed the way `vitest bench` times them (each task on its
 * own, sequentially), so both front ends carry the same cross-check against the interleaved rounds.
 */
import { Bench } from 'tinybench';
import type { TimedCall } from './core/sampler.ts';
import { median } from './core/stats.ts';

export interface TinybenchMedians {
  readonly unfusedMedianMs: number;
  readonly fusedMedianMs: number;
}

export async function tinybenchMedians(unfused: TimedCall, fused: TimedCall, timeMs: number): Promise<TinybenchMedians> {
  const bench = new Bench({ time: timeMs, iterations: 5, warmupTime: Math.min(50, timeMs / 5), warmupIterations: 2 });
  bench.add('unfused', unfused).add('fused', fused);
  await bench.run();
  const med = (name: string): number => {
    const samples = bench.getTask(name)?.result?.samples;
    if (!samples || samples.length === 0) throw new Error(`tinybench produced no samples for ${name}`);
    return median(samples);
  };
  return { unfusedMedianMs: med('unfused'), fusedMedianMs: med('fused') };
}
