/**
 * FusebenchSDPA's blocked WebGPU kernel (kernels/sdpa/webgpu_blocked.ts): what the generator prints, when the
 * kernel is chosen, and that tfjs-webgpu's assembly of it compiles and binds on Dawn's null device (Tint validates
 * it; nothing executes). Correctness is bench/sdpa-check-webgpu.ts's job, on llvmpipe here and on the GPU host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { BLOCKED_MAX_BUDGET_BYTES, SdpaBlockedProgram, sdpaBlockedWgsl, sdpaBlocking } from '../../kernels/sdpa/webgpu_blocked.ts';
import { defaultSdpaChoice, sdpaProgram } from '../../kernels/sdpa/webgpu.ts';
import { SdpaTiledProgram } from '../../kernels/sdpa/webgpu_tiled.ts';
import { createWebGPUAdapter } from '../../backends/webgpu/adapter.ts';
import { defaultWebGPUOptions } from '../../backends/webgpu/options.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';

describe('blocked SDPA WGSL', () => {
  it('applies at D = 16, 32, 48, 64 within 32 KiB and nowhere else', () => {
    for (const d of [16, 32, 48, 64]) {
      const b = sdpaBlocking(d, 49152)!;
      expect(b, `D=${d}`).not.toBeNull();
      expect(b.workgroupBytes).toBeLessThanOrEqual(BLOCKED_MAX_BUDGET_BYTES);
      expect(b.kStride % 2).toBe(1);
    }
    expect(sdpaBlocking(64, 32768)!.workgroupBytes).toBe(31232);
    for (const d of [1, 4, 8, 33, 40, 63, 80, 128]) expect(sdpaBlocking(d, 49152), `D=${d}`).toBeNull();
    expect(sdpaBlocking(64, 16384)).toBeNull();
  });

  it('keeps every per-invocation value in a named variable: no function-scope arrays, every var initialised', () => {
    for (const [d, rows] of [[16, 32], [32, 32], [64, 32], [64, 16]] as const) {
      const code = sdpaBlockedWgsl(sdpaBlocking(d, 32768, rows)!);
      expect(code).not.toMatch(/\$\{|undefined|NaN|\[object|null/);
      // arrays only as workgroup declarations
      const arrays = code.split('\n').filter((l) => l.includes('array<'));
      expect(arrays.every((l) => l.trim().startsWith('var<workgroup>'))).toBe(true);
      // Dawn on Vulkan zeroes a loop-local var without an initializer once only
      expect(code).not.toMatch(/var [a-z]\w* : [^=;]*;/);
      // three barriers per key tile, one before the loop and one before the final sums
      const loop = code.slice(code.indexOf('for (var t = 0'), code.indexOf('// The row sums'));
      expect(loop.match(/workgroupBarrier\(\)/g)).toHaveLength(3);
      expect(code.match(/workgroupBarrier\(\)/g)).toHaveLength(5);
      // the only stores to the output divide the accumulator by the row sum
      expect(code.match(/result\[[^\]]*\] = acc\d \/ total\d;/g)).toHaveLength(rows / 8);
      expect(code.match(/result\[/g)).toHaveLength(rows / 8);
    }
  });

  it('is chosen by FUSEBENCH_WEBGPU_SDPA=blocked where it applies, the tiled kernel elsewhere', () => {
    expect(defaultSdpaChoice({ FUSEBENCH_WEBGPU_SDPA: 'blocked' })).toEqual({ blocked: true });
    expect(defaultSdpaChoice({ FUSEBENCH_WEBGPU_SDPA: 'blocked16' })).toEqual({ blocked: true, blockedRows: 16 });
    expect(sdpaProgram(1, 2048, 64, 49152, { blocked: true, blockedRows: 16 }).dispatch).toEqual([128, 1, 1]);
    const p = sdpaProgram(12, 512, 64, 49152, { blocked: true });
    expect(p).toBeInstanceOf(SdpaBlockedProgram);
    expect(p.dispatch).toEqual([16, 12, 1]);
    expect(sdpaProgram(1, 77, 128, 49152, { blocked: true })).toBeInstanceOf(SdpaTiledProgram);
    expect(sdpaProgram(12, 512, 64, 49152, {})).toBeInstanceOf(SdpaTiledProgram);
  });
});

const nullDevice = createWebGPUAdapter({ ...defaultWebGPUOptions, dawnBackend: 'null' });
const availability = await nullDevice.detect();

describe.skipIf(!availability.available)(`blocked SDPA compiles on Dawn's null device (${availability.reason ?? ''})`, () => {
  beforeAll(async () => {
    await nullDevice.init();
    await registerFusebenchKernels('webgpu');
  });
  afterAll(async () => {
    await nullDevice.teardown();
  });

  it('compiles and binds at D = 16, 32, 64 with partial tiles', async () => {
    const saved = process.env.FUSEBENCH_WEBGPU_SDPA;
    process.env.FUSEBENCH_WEBGPU_SDPA = 'blocked';
    try {
      for (const [bh, s, d, choice] of [[2, 77, 64, 'blocked'], [1, 33, 32, 'blocked'], [3, 5, 16, 'blocked'], [12, 512, 64, 'blocked'], [2, 77, 64, 'blocked16']] as const) {
        process.env.FUSEBENCH_WEBGPU_SDPA = choice;
        const before = nullDevice.gpuErrors().length;
        const out = tf.tidy(() => tf.engine().runKernel('FusebenchSDPA', { q: tf.ones([bh, s, d]), k: tf.ones([bh, s, d]), v: tf.ones([bh, s, d]) }, {}) as tf.Tensor);
        await nullDevice.sync();
        out.dispose();
        expect(nullDevice.gpuErrors().slice(before), `[${bh},${s},${d}]`).toEqual([]);
      }
    } finally {
      if (saved === undefined) delete process.env.FUSEBENCH_WEBGPU_SDPA;
      else process.env.FUSEBENCH_WEBGPU_SDPA = saved;
    }
  });
});
