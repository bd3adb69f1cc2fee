/**
 * The harness refuses to time a variant that makes host round trips on every call (a backend's fallback kernels):
 * the size fails with the causes named, and the count read around the timed region is checked too, whichever front
 * end samples the session (the one sampler, vitest's bench.compare through the provider's context) and for
 * pipelines as for suites.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fileURLToPath } from 'node:url';
import { measureSize, openSize, sampleSession, type Sampling } from '../../harness/measure.ts';
import { measurePipelineSize } from '../../harness/measure-pipeline.ts';
import { sampleInterleaved } from '../../harness/core/sampler.ts';
import { currentMeasuring, measuredBy } from '../../harness/vitest/context.ts';
import { loadBenchFiles } from '../../harness/load.ts';
import { useBackend } from '../ternary/helpers.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';
import { hostTripsSince, refuseHostTrips } from '../../harness/core/host_trips.ts';
import type { BackendAdapter, HostTripCounts, SuiteSpec } from '../../harness/core/types.ts';
import { cpuBackend } from '../../backends/cpu.ts';
import { linearSuite } from './fixtures.ts';

const config = mergeConfig(defaultConfig, { sampling: { quickRounds: 4, minRounds: 3, warmup: 1, minSampleMs: 0.5, bootstrapResamples: 100 } });

describe('host round trips in timed variants', () => {
  it('names the causes whose count grew', () => {
    const before: HostTripCounts = { total: 2, byCause: { 'Unique (fallback: ran on tfjs-backend-cpu)': 2 } };
    const after: HostTripCounts = { total: 5, byCause: { 'Unique (fallback: ran on tfjs-backend-cpu)': 3, 'GatherV2 (index check)': 2 } };
    expect(hostTripsSince(before, after)).toEqual(['Unique (fallback: ran on tfjs-backend-cpu) ×1', 'GatherV2 (index check) ×2']);
    expect(hostTripsSince(before, before)).toEqual([]);
    expect(hostTripsSince(undefined, after)).toEqual([]);
  });

  it('refuses a region that moved the count, and passes one that did not', async () => {
    let total = 0;
    const read = (): HostTripCounts => ({ total, byCause: { 'Unique (fallback: ran on tfjs-backend-cpu)': total } });
    await expect(refuseHostTrips('cuda', 'the fused variant of X at 4', read, async () => { total++; })).rejects.toThrow(
      'the fused variant of X at 4 makes host round trips on cuda on every call (Unique (fallback: ran on tfjs-backend-cpu) ×1); a timing would include those host copies, so it is not timed');
    await expect(refuseHostTrips('cuda', 'x', read, async () => 7)).resolves.toBe(7);
    await expect(refuseHostTrips('cpu', 'x', undefined, async () => { total++; return 1; })).resolves.toBe(1);
  });

  it('a suite whose fused variant hits a fallback on every call fails that size with the kernel named; the unfused variant alone is fine', async () => {
    await tf.setBackend('cpu');
    const counts = { total: 0, byCause: {} as Record<string, number> };
    const adapter: BackendAdapter = { ...cpuBackend, hostTrips: () => ({ total: counts.total, byCause: { ...counts.byCause } }) };
    const base = linearSuite('Test_Fallback') as unknown as SuiteSpec;
    const fallbackOnce = (): void => {
      counts.total++;
      counts.byCause.Unique = (counts.byCause.Unique ?? 0) + 1;
    };
    const spec: SuiteSpec = { ...base, fused: (t, p) => { fallbackOnce(); return base.fused(t, p); } };
    const p = base.sizes.quick[0]!;
    const before = tf.memory().numTensors;
    const r = await measureSize('/fixture.bench.ts', spec, adapter, p, { config, quick: true, seed: 1 });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/the fused variant of Test_Fallback at .* makes host round trips on cpu on every call \(Unique ×1\)/);
    expect(tf.memory().numTensors).toBe(before);
    const ok = await measureSize('/fixture.bench.ts', base, adapter, p, { config, quick: true, seed: 1 });
    expect(ok.status, ok.error).toBe('ok');
  });

  /** An adapter whose fence makes a host trip: the profile calls pass, only the timed region moves the count. */
  const trippingFence = (base: BackendAdapter): BackendAdapter => {
    let total = 0;
    return {
      ...base,
      sync: async () => {
        total++;
        await base.sync();
      },
      hostTrips: () => ({ total, byCause: { 'BroadcastArgs (read back)': total } }),
    };
  };

  it('the timed region is checked however the session is sampled: the one sampler, or bench.compare through the provider (the vitest front end)', async () => {
    await tf.setBackend('cpu');
    const adapter = trippingFence(cpuBackend);
    const spec = linearSuite('Test_Timed_Trip') as unknown as SuiteSpec;
    const p = spec.sizes.quick[0]!;
    const opts = { config, quick: true, seed: 1 };
    const before = tf.memory().numTensors;
    const want = /the timed region of Test_Timed_Trip at .* makes host round trips on cpu on every call \(BroadcastArgs \(read back\) ×\d+\)/;
    const direct = await measureSize('/fixture.bench.ts', spec, adapter, p, opts);
    expect(direct.status).toBe('failed');
    expect(direct.error).toMatch(want);
    // register.ts's sampling: measuredBy around a bench.compare whose provider samples with the context it is given.
    const viaProvider = (device: BackendAdapter): Sampling => (s) => measuredBy({ device, plan: s.plan }, async () => {
      const m = currentMeasuring()!;
      m.samples = await sampleInterleaved(m.device, s.variants, m.plan);
    });
    const vitest = await sampleSession(await openSize('/fixture.bench.ts', spec, adapter, p, opts), viaProvider(adapter));
    expect(vitest.status).toBe('failed');
    expect(vitest.error).toMatch(want);
    expect(tf.memory().numTensors).toBe(before);
    // Without trips the same path measures.
    const ok = await sampleSession(await openSize('/fixture.bench.ts', spec, cpuBackend, p, opts), viaProvider(cpuBackend));
    expect(ok.status, ok.error).toBe('ok');
  });

  it('a pipeline is checked as a suite is: around its sampling, and on each fused kernel\'s profile call', async () => {
    const cpu = await useBackend('cpu');
    const file = fileURLToPath(new URL('../../suites/pipelines/image.bench.ts', import.meta.url));
    const image = (await loadBenchFiles([file])).pipelines.find((x) => x.spec.id === 'TernaryImagePipeline')!;
    const opts = { config, quick: true, seed: 7 };
    const before = tf.memory().numTensors;
    const timed = await measurePipelineSize(image.file, image.spec, trippingFence(cpu), { side: 16 }, opts);
    expect(timed.status).toBe('failed');
    expect(timed.error).toMatch(/the timed region of TernaryImagePipeline at .* makes host round trips on cpu on every call/);
    // A fused kernel that makes a trip on every call is named at its profile call, before any timing.
    let trips = 0;
    const counting: BackendAdapter = { ...cpu, hostTrips: () => ({ total: trips, byCause: { 'TernaryNotBinary (fallback: ran on tfjs-backend-cpu)': trips } }) };
    const saved = tf.getKernel('TernaryNotBinary', 'cpu')!;
    tf.unregisterKernel('TernaryNotBinary', 'cpu');
    tf.registerKernel({ ...saved, kernelFunc: (args) => { trips++; return saved.kernelFunc(args); } });
    try {
      const r = await measurePipelineSize(image.file, image.spec, counting, { side: 16 }, opts);
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/the fused pipeline of TernaryImagePipeline at .* makes host round trips on cpu on every call \(TernaryNotBinary \(fallback: ran on tfjs-backend-cpu\) ×1\)/);
    } finally {
      tf.unregisterKernel('TernaryNotBinary', 'cpu');
      tf.registerKernel(saved);
    }
    expect(tf.memory().numTensors).toBe(before);
    const ok = await measurePipelineSize(image.file, image.spec, cpu, { side: 16 }, opts);
    expect(ok.status, ok.error).toBe('ok');
  });
});
