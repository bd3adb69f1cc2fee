import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { runSuites } from '../../harness/run.ts';
import { detectAll } from '../../backends/registry.ts';
import { launchCount } from '../../harness/measure.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';
import { compareWithReference } from '../../harness/core/correctness.ts';
import type { RegisteredSuite, SuiteSpec } from '../../harness/core/types.ts';
import { linearSuite } from './fixtures.ts';
import { judgeSize } from '../../harness/core/verdicts.ts';

// Short sampling: these tests check behaviour, not speed.
const config = mergeConfig(defaultConfig, { sampling: { quickRounds: 6, minRounds: 4, warmup: 1, minSampleMs: 0.5, bootstrapResamples: 200 } });
const as = (spec: SuiteSpec, file = '/fixture.bench.ts'): RegisteredSuite => ({ spec, file });

describe('engine', () => {
  it('measures a suite on cpu and wasm: correct results, paired samples, no tensor left behind', async () => {
    const before = tf.memory().numTensors;
    const results = await runSuites({ suites: [as(linearSuite() as unknown as SuiteSpec)], backends: ['cpu', 'wasm'], quick: true, config, command: 'test' });
    expect(results.backends.map((b) => [b.name, b.available])).toEqual([['cpu', true], ['wasm', true]]);
    const rows = results.patterns[0].results;
    expect(rows.map((r) => r.backend)).toEqual(['cpu', 'wasm']);
    for (const r of rows) {
      expect(r.status, r.error).toBe('ok');
      expect(r.correctness!.fused.ok).toBe(true);
      expect(r.correctness!.unfused.ok).toBe(true);
      expect(r.unfused!.samplesMs.length).toBe(r.fused!.samplesMs.length);
      expect(r.unfused!.samplesMs.length).toBeGreaterThanOrEqual(4);
      expect(r.speedup!.lo).toBeLessThanOrEqual(r.speedup!.ratio);
      expect(launchCount(r.unfused!.kernels)).toBe(3);
      expect(launchCount(r.fused!.kernels)).toBe(1);
      expect(r.memoryReduction).toBeGreaterThan(0.5);
      expect(r.fused!.kernels).toContain('_FusedMatMul');
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('marks a size that throws as failed, with the error, and goes on with the next', async () => {
    const base = linearSuite('Test_Throws') as unknown as SuiteSpec;
    const spec: SuiteSpec = {
      ...base,
      sizes: { full: base.sizes.full, quick: [{ m: 4, k: 8, n: 4 }, { m: 2, k: 8, n: 2 }] },
      fused: (t, p) => {
        if (p.m === 4) throw new Error('out of memory (simulated)');
        return base.fused(t, p);
      },
    };
    const before = tf.memory().numTensors;
    const results = await runSuites({ suites: [as(spec)], backends: ['cpu'], quick: true, config, command: 'test' });
    const [first, second] = results.patterns[0].results;
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/out of memory \(simulated\)/);
    expect(second.status).toBe('ok');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('judges a fast but wrong fused kernel ✗ Incorrect', async () => {
    const base = linearSuite('Test_Wrong') as unknown as SuiteSpec;
    const spec: SuiteSpec = { ...base, fused: (t) => tf.matMul(t.x, t.w) }; // forgets bias and ReLU
    const results = await runSuites({ suites: [as(spec)], backends: ['cpu'], quick: true, config, command: 'test' });
    const r = results.patterns[0].results[0];
    expect(r.correctness!.fused.ok).toBe(false);
    expect(judgeSize(r, config)!.verdict).toBe('incorrect');
    expect('judgement' in r).toBe(false);
  });

  it('refuses a requested backend that is unavailable, naming it and its reason (unusable input, exit 2)', async (ctx) => {
    // Whichever backend this machine lacks (without a GPU: webgpu and cuda; tensorflow until it is set up).
    const missing = (await detectAll()).find((b) => !b.available);
    if (!missing) return ctx.skip();
    await expect(runSuites({ suites: [as(linearSuite('Test_Unavailable') as unknown as SuiteSpec)], backends: [missing.name], quick: true, config, command: 'test', backendsSource: '--backends' }))
      .rejects.toThrow(`--backends: ${missing.name} is unavailable here (${missing.reason}`);
  });

  it('detects only the backends a run names (detecting loads native libraries: TensorFlow, libcuda, Dawn)', async () => {
    expect((await detectAll(['wasm', 'cpu'])).map((b) => b.name)).toEqual(['cpu', 'wasm']);
  });
});

describe('correctness check', () => {
  const tol = { atol: 1e-4, rtol: 1e-3 };
  it('never passes NaN or Inf', () => {
    expect(compareWithReference([1, Number.NaN], Float64Array.from([1, 2]), tol).ok).toBe(false);
    expect(compareWithReference([1, Number.POSITIVE_INFINITY], Float64Array.from([1, 2]), tol).ok).toBe(false);
  });
  it('applies atol + rtol·|ref| and reports the maximum errors', () => {
    const s = compareWithReference([1.0005, 2], Float64Array.from([1, 2]), tol);
    expect(s.ok).toBe(true);
    expect(s.maxAbs).toBeCloseTo(0.0005, 9);
    expect(s.maxRel).toBeCloseTo(0.0005, 9);
    expect(compareWithReference([1.002, 2], Float64Array.from([1, 2]), tol).ok).toBe(false);
  });
  it('fails on a length mismatch', () => {
    expect(compareWithReference([1], Float64Array.from([1, 2]), tol).ok).toBe(false);
  });
});
