/**
 * What a fusebench test hands to the benchmark provider for the `bench.compare` it is about to run: the backend's
 * fence and device timer, and the sampling plan. The provider and the test files share this module in the worker,
 * so live objects pass without serialising; the provider leaves the samples here for the test to finish its result.
 */
import type { InterleavedSamples, SamplingDevice, SamplingPlan } from '../core/sampler.ts';

export interface Measuring {
  readonly device: SamplingDevice;
  readonly plan: SamplingPlan;
  samples?: InterleavedSamples;
}

let current: Measuring | undefined;

/** Runs `compare` (a bench.compare call) with `m` as the provider's context, and returns the samples it took. */
export async function measuredBy(m: Omit<Measuring, 'samples'>, compare: () => Promise<unknown>): Promise<InterleavedSamples> {
  const slot: Measuring = { ...m };
  current = slot;
  try {
    await compare();
  } finally {
    current = undefined;
  }
  if (!slot.samples) throw new Error('the benchmark provider took no samples: is test.benchmark.provider set to fusebench\'s provider? (see fusebench/vitest)');
  return slot.samples;
}

export function currentMeasuring(): Measuring | undefined {
  return current;
}
