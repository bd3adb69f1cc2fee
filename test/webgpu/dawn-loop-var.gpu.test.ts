/**
 * FINDING (Dawn in the `webgpu` npm package 0.6.2, Vulkan backend; seen on an NVIDIA H100, driver 580.159.04):
 * a function-scope `var` declared without an initializer inside a loop body is zeroed once per invocation, not
 * at each iteration as WGSL requires (a `var`'s lifetime starts each time control reaches its declaration, and a
 * `var` without an initializer starts at the zero value). The probe (loop-var-probe.ts) adds 1 to such a
 * variable in each of 4 iterations and sums it: WGSL says 4, Dawn on Vulkan gives 1 + 2 + 3 + 4 = 10, for an
 * array, a scalar and a vec4 alike; with an explicit initializer it gives 4. Dawn over OpenGL (Mesa llvmpipe,
 * this machine) gives 4 everywhere.
 *
 * It made FusebenchSDPA's tiled kernel and FusebenchQKTSoftmax wrong for S ≥ 128 (more than one key tile) on
 * the H100. Our kernels now declare accumulators outside the loop and zero them by hand, and wgsl.test.ts
 * checks every generated shader for the pattern (that check runs in CI). This test pins Dawn's behaviour on a
 * real adapter: it fails once Dawn follows the spec, which is the signal to update docs/webgpu.md.
 * Skipped without a webgpu adapter (CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from '../../backends/webgpu/adapter.ts';
import { runLoopVarProbe } from './loop-var-probe.ts';

const availability = await webgpuBackend.detect();
const vulkan = /Dawn vulkan backend/.test(availability.reason ?? '');

describe.skipIf(!availability.available)(`Dawn: loop-local var without an initializer (${availability.reason ?? ''})`, () => {
  beforeAll(async () => {
    await webgpuBackend.init();
  });
  afterAll(async () => {
    await webgpuBackend.teardown();
  });

  it('an explicit initializer restarts at zero on every iteration (control)', async () => {
    expect((await runLoopVarProbe(webgpuBackend.gpuDevice())).explicit).toBe(4);
  });

  it.runIf(vulkan)('on Vulkan, no initializer means zeroed once: the totals are 1+2+3+4 = 10, not 4 (pinned bug)', async () => {
    const p = await runLoopVarProbe(webgpuBackend.gpuDevice());
    expect([p.array, p.scalar, p.vector]).toEqual([10, 10, 10]);
  });

  it.runIf(!vulkan)('on other Dawn backends (OpenGL here), every total is 4 as WGSL says', async () => {
    const p = await runLoopVarProbe(webgpuBackend.gpuDevice());
    expect([p.array, p.scalar, p.vector, p.explicit]).toEqual([4, 4, 4, 4]);
  });
});
