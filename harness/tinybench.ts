/**
 * The CLI's tinybench pass: the same two calls timed the way `vitest bench` times them (each task on its
 * own, sequentially), so both front ends carry the same cross-check against the interleaved rounds.
 */
import { Bench } from 'tinybench';
import type { TimedCall } from './sampler.ts';
import { median } from './stats.ts';

export interface TinybenchMedians {
  readonly unfusedMedianMs: number;
  readonly fusedMedianMs: number;
}

export async function tinybenchMedians(unfused: TimedCall, fused: TimedCall, quick: boolean): Promise<TinybenchMedians> {
  const bench = new Bench(quick ? { time: 100, iterations: 5, warmupTime: 20, warmupIterations: 2 } : { time: 400, iterations: 10, warmupTime: 50, warmupIterations: 3 });
  bench.add('unfused', unfused).add('fused', fused);
  await bench.run();
  const med = (name: string): number => {
    const samples = bench.getTask(name)?.result?.samples;
    if (!samples || samples.length === 0) throw new Error(`tinybench produced no samples for ${name}`);
    return median(samples);
  };
  return { unfusedMedianMs: med('unfused'), fusedMedianMs: med('fused') };
}
