/// <reference types="jasmine" />
/**
 * What fusebench's kernel specs (conformance/specs/*.spec.ts) share: inputs, comparison with the float64
 * reference, the bad-input check, and running a kernel only where the active backend registers it.
 * The specs run inside the conformance bundle, under tfjs-core's describeWithFlags, on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HostArray, Tolerance } from '../harness/core/types.ts';
import { compareWithReference } from '../harness/core/correctness.ts';
import { toTensors } from '../harness/measure.ts';
import { seededRandom } from '../harness/core/stats.ts';

export { uniform, trits } from '../harness/core/inputs.ts';

export const rng = (seed: number): (() => number) => seededRandom(seed);

/** One host input as a tensor of its dtype. */
export function tensorOf(h: HostArray): tf.Tensor {
  return toTensors({ h }).h!;
}

/** Float32 results against a float64 reference: the same shape, and every element within tolerance. */
export async function expectNear(got: tf.Tensor, shape: readonly number[], want: Float64Array, tol: Tolerance): Promise<void> {
  expect(got.shape).toEqual([...shape]);
  const values = await got.data();
  const stats = compareWithReference(values as Float32Array, want, tol);
  expect(stats.ok).withContext(`max abs error ${stats.maxAbs}, max rel error ${stats.maxRel} (atol ${tol.atol}, rtol ${tol.rtol})`).toBe(true);
}

/** Exact comparison (int32 results). */
export async function expectExact(got: tf.Tensor, shape: readonly number[], want: ArrayLike<number>): Promise<void> {
  expect(got.shape).toEqual([...shape]);
  expect(Array.from(await got.data())).toEqual(Array.from(want));
}

/**
 * `call` throws an error that leads with the kernel and the input (or attr) at fault, as every fusebench kernel's
 * checks do (kernels/common/shape_checks.ts): `FusebenchSDPA: input "k" …`, `TernaryBinary(op=tadd): input "b" …`.
 */
export function expectErrorNaming(call: () => unknown, kernel: string, input: string): void {
  expect(call).toThrowError(new RegExp(`^${kernel}(\\([^)]*\\))?: (input|attr) "${input}"`));
}

export const registered = (kernel: string): boolean => tf.getKernel(kernel, tf.getBackend()) !== undefined;

/**
 * A spec of one kernel: pending (with the reason) where the active backend does not register it, e.g. the fused
 * conv kernels, which exist only on cpu (kernels/ops.ts says why), or every fusebench kernel on tensorflow.
 */
export function itKernel(kernel: string, name: string, body: () => Promise<void> | void): void {
  it(name, async () => {
    if (!registered(kernel)) {
      pending(`${kernel} is not registered on ${tf.getBackend()}`);
      return;
    }
    await body();
  });
}

/** Runs a kernel directly, as kernels/ops.ts does. */
export function runKernel(kernel: string, inputs: Record<string, tf.Tensor>, attrs: KernelAttrs = {}): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor;
}

export type KernelAttrs = NonNullable<Parameters<ReturnType<typeof tf.engine>['runKernel']>[2]>;

export const F32: Tolerance = { atol: 1e-4, rtol: 1e-4 };
