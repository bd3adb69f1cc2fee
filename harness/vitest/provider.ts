/**
 * fusebench as a vitest 5 benchmark provider (`test.benchmark.provider`): runs a `bench.compare(…)` group with
 * fusebench's sampler, interleaved in alternating order with K back-to-back calls and one device fence per
 * sample, each variant's outputs released as the next call is issued. vitest's table then shows these numbers.
 *
 * A benchmark function returns what it computed (a tfjs tensor, or anything with `dispose()`); nothing is read
 * back. Inside a fusebench suite the test provides the backend's fence and the sampling plan (context.ts);
 * a plain `bench.compare` in a user's test gets the default plan and no fence, which is right for synchronous
 * CPU work only.
 */
import type { BenchmarkGroup, BenchmarkProvider, BenchRegistrationInput, BenchResult } from 'vitest';
import { sampleInterleaved, type IssueCall, type SamplingDevice, type SamplingPlan } from '../core/sampler.ts';
import { currentConfig } from '../core/config.ts';
import { currentMeasuring } from './context.ts';
import { benchResult } from './bench-result.ts';

const NO_FENCE: SamplingDevice = { async sync() {} };

function defaultPlan(): SamplingPlan {
  const s = currentConfig().sampling;
  return { rounds: s.quickRounds, minRounds: s.minRounds, warmup: s.warmup, warmupMs: s.warmupMs, minSampleMs: s.minSampleMs, maxSeconds: s.maxSecondsPerSize, cache: 'warm' };
}

/** A registration as the sampler drives it: call it, release what it returned once the next call is issued. */
function issueOf(reg: BenchRegistrationInput): IssueCall {
  const o = reg.fnOpts;
  if (o && (o.beforeAll || o.beforeEach || o.afterEach || o.afterAll)) {
    throw new Error(`fusebench provider: benchmark "${reg.name}" declares hooks (beforeAll/beforeEach/afterEach/afterAll), which this provider does not run; set up outside the benchmark`);
  }
  return () => {
    const out = reg.fn() as { dispose?: () => void; then?: unknown } | undefined;
    if (out && typeof out.then === 'function') {
      throw new Error(`fusebench provider: benchmark "${reg.name}" returned a Promise; the provider times synchronous calls and fences the device itself`);
    }
    return out && typeof out.dispose === 'function' ? () => out.dispose!() : () => {};
  };
}

const provider: BenchmarkProvider = {
  async run(group: BenchmarkGroup): Promise<BenchResult[]> {
    const m = currentMeasuring();
    const regs = group.registrations;
    const samples = await sampleInterleaved(m?.device ?? NO_FENCE, regs.map(issueOf), m?.plan ?? defaultPlan());
    if (m) m.samples = samples;
    return regs.map((r, i) => benchResult(r.name, samples.throughput[i]!, samples.callsPerSample[i]!));
  },
};

export default provider;
