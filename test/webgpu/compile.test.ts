/**
 * Every fusebench WGSL kernel, as tfjs-backend-webgpu assembles it, must compile and bind: checked on Dawn's
 * "null" device, which validates shaders (Tint) and pipelines but executes nothing, so this runs without a
 * GPU. Any WebGPU validation error fails the test. Values read back from the null device are meaningless
 * and are never looked at; correctness is kernels.gpu.test.ts's job (on a real adapter).
 * Skipped where dawn.node cannot load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createWebGPUAdapter } from '../../backends/webgpu/adapter.ts';
import { defaultWebGPUOptions } from '../../backends/webgpu/options.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';
import { measureCopyBandwidth, measureMatmulRate } from '../../backends/webgpu/ceilings.ts';
import { KERNEL_CASES } from './cases.ts';

const nullDevice = createWebGPUAdapter({ ...defaultWebGPUOptions, dawnBackend: 'null' });
const availability = await nullDevice.detect();

describe.skipIf(!availability.available)(`WGSL kernels compile on Dawn's null device (${availability.reason ?? ''})`, () => {
  beforeAll(async () => {
    await nullDevice.init();
    await registerFusebenchKernels('webgpu');
  });
  afterAll(async () => {
    await nullDevice.teardown();
  });

  const small = KERNEL_CASES.filter((c) => c.small);

  it.each(small.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const errorsBefore = nullDevice.gpuErrors().length;
    const ts = c.makeInputs().map((h) => tf.tensor(h.data, h.shape, h.dtype));
    try {
      const out = c.fused(ts);
      expect(out.shape).toEqual(c.reference(ts).shape);
      await nullDevice.sync(); // throws the first WebGPU error the kernel caused
      out.dispose();
      await nullDevice.gpuDevice().queue.onSubmittedWorkDone();
      expect(nullDevice.gpuErrors().slice(errorsBefore)).toEqual([]);
    } finally {
      ts.forEach((t) => t.dispose());
    }
  });

  it('compiles the LayerNorm row loop that re-reads x, the folded 2-D dispatch, the SDPA scalar path and large attention shapes', async () => {
    const cases: Array<[string, () => tf.Tensor]> = [
      ['layernorm D=5000', () => tf.engine().runKernel('FusebenchLayerNorm', { x: tf.ones([2, 5000]), gamma: tf.ones([5000]), beta: tf.zeros([5000]) }, {}) as tf.Tensor],
      ['add_relu 2-D dispatch', () => tf.engine().runKernel('FusebenchAddRelu', { a: tf.ones([65536 * 256 + 1]), b: tf.ones([65536 * 256 + 1]) }, {}) as tf.Tensor],
      ['sdpa D=3', () => tf.engine().runKernel('FusebenchSDPA', { q: tf.ones([1, 5, 3]), k: tf.ones([1, 5, 3]), v: tf.ones([1, 5, 3]) }, {}) as tf.Tensor],
      // the large cases' shapes: compiled here, computed on a real adapter by gpu-smoke.ts
      ['sdpa [8,512,128]', () => tf.engine().runKernel('FusebenchSDPA', { q: tf.ones([8, 512, 128]), k: tf.ones([8, 512, 128]), v: tf.ones([8, 512, 128]) }, {}) as tf.Tensor],
      ['qkt_softmax [1,2048,64]', () => tf.engine().runKernel('FusebenchQKTSoftmax', { q: tf.ones([1, 2048, 64]), k: tf.ones([1, 2048, 64]) }, {}) as tf.Tensor],
    ];
    for (const [name, run] of cases) {
      const before = nullDevice.gpuErrors().length;
      const out = tf.tidy(run);
      await nullDevice.sync();
      out.dispose();
      expect(nullDevice.gpuErrors().slice(before), name).toEqual([]);
    }
  });

  it('runs the calibration probes (both copies with timestamps, tfjs matMul) without WebGPU errors', async () => {
    const before = nullDevice.gpuErrors().length;
    const copy = await measureCopyBandwidth(nullDevice.gpuDevice(), { bytes: 2 ** 20, copiesPerSubmit: 2, repeats: 1 });
    expect(copy.bytesPerCopy).toBe(2 ** 20);
    expect([copy.bufferCopy.gbps, copy.shaderCopy.gbps].includes(copy.gbps)).toBe(true);
    const mm = await measureMatmulRate({ sizes: [64], samples: 1, minSampleMs: 0 });
    expect(mm.points.map((p) => p.n)).toEqual([64]);
    expect(nullDevice.gpuErrors().slice(before)).toEqual([]);
  });

  it('rejects bad inputs with errors that name the kernel and the input', () => {
    const run = (k: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): unknown =>
      tf.tidy(() => tf.engine().runKernel(k, inputs, attrs as tf.NamedAttrMap));
    expect(() => run('FusebenchLinearAct', { a: tf.ones([2, 3]), b: tf.ones([4, 5]), bias: tf.ones([5]) }, { activation: 'gelu' }))
      .toThrow('FusebenchLinearAct: input "b" has shape [4, 5]; its axis 0 must be 3, K, the last axis of input "a" [2, 3] (got 4)');
    expect(() => run('FusebenchLinearAct', { a: tf.ones([2, 3]), b: tf.ones([3, 5]), bias: tf.ones([5]) }, { activation: 'tanh' }))
      .toThrow(/FusebenchLinearAct: attr "activation" must be one of linear, relu, gelu, gelu_tanh, silu \(got "tanh"\)/);
    expect(() => run('FusebenchLayerNorm', { x: tf.ones([2, 8]), gamma: tf.ones([7]), beta: tf.ones([8]) }))
      .toThrow('FusebenchLayerNorm: input "gamma" has shape [7]; its axis 0 must be 8, the last axis of input "x" (got 7)');
    expect(() => run('FusebenchAddRelu', { a: tf.ones([4]), b: tf.ones([2, 2]) }))
      .toThrow('FusebenchAddRelu: input "b" has shape [2, 2] but input "a" has [4]; they must be the same (this kernel does not broadcast)');
    expect(() => run('FusebenchSDPA', { q: tf.ones([1, 4, 8]), k: tf.ones([1, 5, 8]), v: tf.ones([1, 4, 8]) }))
      .toThrow('FusebenchSDPA: input "k" has shape [1, 5, 8] but input "q" has [1, 4, 8]; q, k, v must all be the same [BH, S, D]');
    expect(() => run('FusebenchQKTSoftmax', { q: tf.ones([2, 4, 8]), k: tf.ones([2, 4, 7]) }))
      .toThrow('FusebenchQKTSoftmax: input "k" has shape [2, 4, 7] but input "q" has [2, 4, 8]; q, k must all be the same [BH, S, D]');
    expect(() => run('FusebenchQKTSoftmax', { q: tf.ones([4, 8]), k: tf.ones([4, 8]) }))
      .toThrow('FusebenchQKTSoftmax: input "q" must have rank 3 (got shape [4, 8])');
    expect(() => run('FusebenchQKTSoftmax', { q: tf.ones([1, 4, 8]), k: tf.ones([1, 4, 8]) }, { scale: Number.NaN }))
      .toThrow(/FusebenchQKTSoftmax: attr "scale" must be a finite number/);
    // BH = 65536 workgroups along y: more than a device allows per dimension (tfjs folds only 1-D dispatches)
    expect(() => run('FusebenchQKTSoftmax', { q: tf.ones([65536, 1, 4]), k: tf.ones([65536, 1, 4]) }))
      .toThrow(/FusebenchQKTSoftmax: \[BH,S,D\] = \[65536,1,4\] needs 1 × 65536 × 1 workgroups; the device allows \d+ per dimension/);
    expect(() => run('FusebenchSDPA', { q: tf.ones([65536, 1, 4]), k: tf.ones([65536, 1, 4]), v: tf.ones([65536, 1, 4]) }))
      .toThrow(/FusebenchSDPA: \[BH,S,D\] = \[65536,1,4\] needs 1 × 65536 × 1 workgroups/);
    expect(() => run('TernaryBinary', { a: tf.tensor1d([1, 0], 'int32'), b: tf.tensor1d([1, 0]) }, { op: 'tadd' }))
      .toThrow(/TernaryBinary: input "b" has dtype float32/);
  });

  it('checks trit values of inputs still on the host, as the cpu kernels do', () => {
    const a = tf.tensor1d([1, 0, -1, 2], 'int32');
    const b = tf.tensor1d([1, 1, 1, 1], 'int32');
    expect(() => tf.engine().runKernel('TernaryBinary', { a, b }, { op: 'tadd', validate: true })).toThrow(/input "a" holds 2 at flat index 3/);
    const out = tf.engine().runKernel('TernaryBinary', { a, b }, { op: 'tadd', validate: false }) as tf.Tensor;
    expect(out.dtype).toBe('int32');
    tf.dispose([a, b, out]);
  });
});
