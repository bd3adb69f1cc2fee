/**
 * Pins the timing method: on an asynchronous device whose kernels cost a known time, whose read-back is slow and
 * whose fence is cheap, the measured speedup must be the compute ratio. A sampler that read whole outputs back
 * would time the copy instead, and these tests would fail (the ratio falls to about 1.2×, and reads are counted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { measureSize } from '../../harness/measure.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';
import { uniform } from '../../harness/core/inputs.ts';
import type { SuiteSpec } from '../../harness/core/types.ts';
import { COST, FAKE, fakeGpuAdapter, registerFakeGpu, timeline, type FakeGpuBackend } from './fake-device.ts';

type P = { n: number };

/** Add then Relu (two kernels) against one fused kernel: a compute ratio of exactly 2 on the fake device. */
const suite: SuiteSpec<P> = {
  id: 'Fake_Add_ReLU',
  family: 'test',
  title: 'Add + ReLU on a fake asynchronous device',
  sizes: { full: [{ n: 1024 }], quick: [{ n: 1024 }] },
  label: (p) => `${p.n}`,
  magnitude: (p) => p.n,
  inputs: (p, rng) => ({ a: uniform([p.n], rng), b: uniform([p.n], rng) }),
  unfused: (t) => tf.relu(tf.add(t.a, t.b)),
  fused: (t) => tf.engine().runKernel('FakeAddRelu', { a: t.a, b: t.b }, {}) as tf.Tensor,
  fusedBy: 'fusebench kernel',
  cost: (p) => ({ flops: 2 * p.n, bytesUnfused: 20 * p.n, bytesFused: 12 * p.n, intermediateBytes: 4 * p.n }),
  reference: (x) => x.a!.map((v, i) => Math.max(v + x.b![i]!, 0)),
  predictions: { cpu: { min: 1, max: 2, source: 'test' }, gpu: { min: 1.5, max: 2.5, source: 'test' } },
};

const config = mergeConfig(defaultConfig, {
  sampling: { quickRounds: 6, minRounds: 6, warmup: 2, warmupMs: 0, minSampleMs: 100, bootstrapResamples: 200, deviceReps: 2 },
});

describe('timing on an asynchronous device (fake: kernels 5 ms, read-back 10 ms + per byte, fence free)', () => {
  let backend: FakeGpuBackend;
  beforeAll(async () => {
    await fakeGpuAdapter.init();
    backend = registerFakeGpu();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend(FAKE);
  });

  it('measures the compute ratio (2×) within 5%, reads nothing back while timing, and keeps memory bounded', async () => {
    const live = backend.numDataIds();
    backend.resetPeak();
    timeline.reads = 0;
    const r = await measureSize('/fake.bench.ts', suite as unknown as SuiteSpec, fakeGpuAdapter, { n: 1024 }, { config, quick: true, seed: 7 });
    expect(r.status, r.error).toBe('ok');
    expect(r.correctness!.fused.ok).toBe(true);
    // The only reads are the correctness check's two.
    expect(timeline.reads).toBe(2);
    expect(r.speedup!.ratio).toBeGreaterThan(2 * 0.95);
    expect(r.speedup!.ratio).toBeLessThan(2 * 1.05);
    // Device time is the charged kernel time per call, exactly.
    expect(r.unfused!.deviceMs).toBeCloseTo(2 * COST.kernelMs, 6);
    expect(r.fused!.deviceMs).toBeCloseTo(COST.kernelMs, 6);
    // Throughput is the device-bound rate; a lone call adds only host dispatch (the fence is free).
    expect(r.fused!.throughputMs).toBeGreaterThan(COST.kernelMs * 0.95);
    expect(r.fused!.throughputMs).toBeLessThan(COST.kernelMs * 1.3);
    expect(r.fused!.latencyMs).toBeLessThan(COST.readFixedMs);
    // K calls per sample, yet at most a handful of tensors alive at once: each output is released after the next call.
    expect(r.fused!.callsPerSample).toBeGreaterThanOrEqual(10);
    expect(backend.peakLive - live).toBeLessThanOrEqual(8);
    expect(backend.numDataIds()).toBe(live);
  });

});
