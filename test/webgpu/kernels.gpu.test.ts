/**
 * fusebench's WGSL kernels on a real WebGPU adapter, checked against the same math as tfjs ops on the cpu
 * backend. Skipped where the webgpu backend is unavailable (CI, this machine without a GPU); the reason is
 * in the describe title. A software adapter counts only when FUSEBENCH_WEBGPU_ALLOW_SOFTWARE=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { webgpuBackend } from '../../backends/webgpu/adapter.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';
import { KERNEL_CASES, type HostTensor, type KernelCase } from './cases.ts';

const availability = await webgpuBackend.detect();

async function runOn(backend: string, c: KernelCase, host: readonly HostTensor[], which: 'fused' | 'reference'): Promise<ArrayLike<number>> {
  await tf.setBackend(backend);
  const ts = host.map((h) => tf.tensor(h.data, h.shape, h.dtype));
  try {
    const out = tf.tidy(() => (which === 'fused' ? c.fused(ts) : c.reference(ts)));
    const values = await out.data();
    out.dispose();
    return values as ArrayLike<number>;
  } finally {
    ts.forEach((t) => t.dispose());
  }
}

describe.skipIf(!availability.available)(`WGSL kernels on the webgpu adapter (${availability.reason ?? ''})`, () => {
  beforeAll(async () => {
    await webgpuBackend.init();
    await registerFusebenchKernels('webgpu');
  });
  afterAll(async () => {
    await webgpuBackend.teardown();
  });

  it.each(KERNEL_CASES.filter((c) => c.small).map((c) => [c.name, c] as const))('%s matches tfjs cpu', async (_, c) => {
    const host = c.makeInputs();
    const want = await runOn('cpu', c, host, 'reference');
    const got = await runOn('webgpu', c, host, 'fused');
    expect(got.length).toBe(want.length);
    let worst = 0;
    let at = -1;
    for (let i = 0; i < want.length; i++) {
      const excess = Math.abs(got[i]! - want[i]!) - (c.atol + c.rtol * Math.abs(want[i]!));
      if (!(excess <= worst)) {
        worst = Number.isNaN(excess) ? Infinity : excess;
        at = i;
      }
    }
    expect(at, at < 0 ? '' : `index ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
    expect(webgpuBackend.gpuErrors()).toEqual([]);
  });
});
