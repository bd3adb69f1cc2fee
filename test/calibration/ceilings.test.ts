import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { cpuBackend } from '../../backends/cpu.ts';
import { measureCeilings } from '../../harness/ceilings/measure.ts';

describe('measureCeilings on the cpu backend (tiny probes)', () => {
  it('counts the work honestly, picks the ceilings from the points, and leaks nothing', async () => {
    await cpuBackend.init();
    const before = tf.memory().numTensors;
    // a generous budget: these sizes are so small that MAX_SAMPLES, not the budget, ends each probe
    const c = await measureCeilings(cpuBackend, { budgetMs: 5000, matmulSizes: [16, 32], bandwidthSizes: [1024, 4096], minSampleMs: 1 });
    expect(tf.memory().numTensors).toBe(before);

    const mm = c.matmul.points;
    expect(mm.map((p) => p.size)).toEqual([16, 32]);
    for (const p of mm) {
      expect(p.work_per_call).toBe(2 * p.size ** 3);
      expect(p.rate).toBeCloseTo(p.work_per_call / (p.median_ms * 1e6), 9);
      expect(p.samples).toBeGreaterThanOrEqual(3);
    }
    expect(c.matmul_gflops).toBe(Math.max(...mm.map((p) => p.rate)));

    const bw = c.bandwidth.points;
    expect(bw.map((p) => `${p.op}@${p.size}`)).toEqual(['relu@1024', 'add@1024', 'relu@4096', 'add@4096']);
    for (const p of bw) expect(p.work_per_call).toBe((p.op === 'relu' ? 8 : 12) * p.size);
    // the memory roof comes from the largest N measured, never from a smaller (cache-resident) one
    expect(c.bandwidth_gbps).toBe(Math.max(...bw.filter((p) => p.size === 4096).map((p) => p.rate)));
    expect(c.ridge_flops_per_byte).toBeCloseTo(c.matmul_gflops / c.bandwidth_gbps, 12);
  });

  it('stops growing the size when the next one would not fit the budget', async () => {
    await cpuBackend.init();
    // a 1024² matmul on tfjs-backend-cpu takes seconds; with a 50 ms budget it must not be tried
    const c = await measureCeilings(cpuBackend, { budgetMs: 50, matmulSizes: [32, 1024], bandwidthSizes: [1024], minSampleMs: 1 });
    expect(c.matmul.points.map((p) => p.size)).toEqual([32]);
  });
});
