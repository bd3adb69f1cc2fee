/** How a run sampled, in the words and numbers results.json records (reports describe a run from these, not from today's config). */
import type { RunResults } from './core/types.ts';
import type { FusebenchConfig } from './core/config.ts';

/** The sampling rules of a run, as results.json records them. */
export function samplingRecord(config: FusebenchConfig, quick: boolean): RunResults['sampling'] {
  const s = config.sampling;
  return {
    rounds: quick ? s.quickRounds : s.rounds, warmup: s.warmup, bootstrap: s.bootstrapResamples, timing: describeTiming(config),
    method: 'pipelined', cache: s.cache, minSampleMs: s.minSampleMs, maxSecondsPerSize: s.maxSecondsPerSize, minRounds: s.minRounds,
  };
}

export function describeTiming(config: FusebenchConfig): string {
  const s = config.sampling;
  const sample = s.cache === 'cold'
    ? 'cold caches: before every sample the caches are evicted (outside the timed region) and a sample is one call then the device fence'
    : `throughput: each sample is K back-to-back calls (K raised until a sample lasts ≥ ${s.minSampleMs} ms) then one device fence, nothing read back, ÷ K`;
  return `${sample}; latency: one lone call then the fence; device time: the device's own clock over the K calls (CUDA events with the stream held ` +
    `until all are queued; WebGPU timestamp queries per pass), where the backend has one; unfused and fused interleaved in alternating order each round; ` +
    `each warmed up first (≥ ${s.warmup} calls and ≥ ${s.warmupMs} ms)`;
}

