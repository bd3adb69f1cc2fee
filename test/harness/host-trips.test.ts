/**
 * The harness refuses to time a variant that makes host round trips on every call (a backend's fallback kernels):
 * the size fails with the causes named, and the count read around the timed region is checked too.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { measureSize } from '../../harness/measure.ts';
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
});
