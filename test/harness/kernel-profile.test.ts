/**
 * Each kernel counted once (harness/kernel-profile.ts), on the cpu backend: a kernel that runs other kernels is a
 * wrapper, not a launch, and its bytes are its inner kernels'; an op's scope is left out; the engine is restored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { cpuBackend } from '../../backends/cpu.ts';
import { bytesAllocated, kernelNames, profileKernels } from '../../harness/kernel-profile.ts';
import { launchCount } from '../../harness/core/launches.ts';

/** A composite kernel as tfjs-node writes them: matMul, add and relu as tfjs ops, each its own kernel. */
const COMPOSITE = 'TestCompositeLinearRelu';

beforeAll(async () => {
  await cpuBackend.init();
  if (!tf.getKernel(COMPOSITE, 'cpu')) {
    tf.registerKernel({
      kernelName: COMPOSITE, backendName: 'cpu',
      kernelFunc: ({ inputs }) => tf.tidy(() => tf.relu(tf.add(tf.matMul(inputs.a as tf.Tensor, inputs.b as tf.Tensor), inputs.bias as tf.Tensor))),
    });
  }
});

const a = (): tf.Tensor => tf.tensor2d([[1, -2, 3], [4, 5, -6]]);
const b = (): tf.Tensor => tf.tensor2d([[1, 0], [0, 1], [1, 1]]);
const bias = (): tf.Tensor => tf.tensor1d([0.5, -0.5]);

describe('kernel profile', () => {
  it('counts a composite kernel\'s inner kernels once and the composite as a wrapper', async () => {
    const [x, w, c] = [a(), b(), bias()];
    const { result, kernels } = await profileKernels(() => tf.engine().runKernel(COMPOSITE, { a: x, b: w, bias: c }) as tf.Tensor);
    expect(Array.from(result.dataSync())).toEqual([4.5, 0.5, 0, 0]);
    expect(kernels.map((k) => [k.name, k.depth, k.launches])).toEqual([[COMPOSITE, 1, 0], ['BatchMatMul', 2, 1], ['Add', 2, 1], ['Relu', 2, 1]]);
    const names = kernelNames(kernels);
    expect(names).toEqual([`${COMPOSITE}__op`, 'BatchMatMul', 'Add', 'Relu']);
    expect(launchCount(names)).toBe(3);
    // Three [2,2] float32 outputs; tf.profile's own bytesAdded would add the composite's output a fourth time.
    expect(bytesAllocated(kernels)).toBe(3 * 16);
    tf.dispose([result, x, w, c]);
  });

  it('gives the same launches and bytes as the unfused ops the composite runs', async () => {
    const [x, w, c] = [a(), b(), bias()];
    const u = await profileKernels(() => tf.relu(tf.add(tf.matMul(x, w), c)));
    const f = await profileKernels(() => tf.engine().runKernel(COMPOSITE, { a: x, b: w, bias: c }) as tf.Tensor);
    expect(launchCount(kernelNames(u.kernels))).toBe(launchCount(kernelNames(f.kernels)));
    expect(bytesAllocated(u.kernels)).toBe(bytesAllocated(f.kernels));
    tf.dispose([u.result, f.result, x, w, c]);
  });

  it('leaves out an op\'s scope (tf.fused.matMul\'s custom-gradient scope) and keeps the real kernel', async () => {
    const [x, w, c] = [a(), b(), bias()];
    const { result, kernels } = await profileKernels(() => tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: c, activation: 'relu' }));
    expect(kernels.some((k) => k.name === 'fusedMatMul__op')).toBe(true);
    expect(kernelNames(kernels)).toEqual(['Reshape', 'Reshape', '_FusedMatMul', 'Reshape']);
    expect(launchCount(kernelNames(kernels))).toBe(1);
    expect(bytesAllocated(kernels)).toBe(16); // the views add nothing
    tf.dispose([result, x, w, c]);
  });

  it('restores the engine\'s profiler, also when the profiled function throws', async () => {
    const profiler = (tf.engine() as unknown as { profiler: object }).profiler;
    await expect(profileKernels(() => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(Object.prototype.hasOwnProperty.call(profiler, 'profileKernel')).toBe(false);
    const plain = await tf.profile(() => tf.add(tf.scalar(1), tf.scalar(2)));
    expect(plain.kernels.map((k) => k.name)).toEqual(['Add']);
    tf.dispose(plain.result as tf.Tensor);
  });
});
