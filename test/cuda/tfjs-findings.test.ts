/**
 * Findings about tfjs itself, met while checking the cuda backend against tfjs-backend-cpu. Each test pins
 * today's behaviour so a tfjs upgrade that changes it fails here and gets a look. CPU only: runs in CI.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

describe('tfjs-backend-cpu 4.22.0 findings', () => {
  it('BatchMatMul with batch dims [2,1] × [1,3] returns shape [2,3,M,N] but only 3 batches of values', async () => {
    await tf.setBackend('cpu');
    const y = tf.matMul(tf.ones([2, 1, 4, 6]), tf.ones([1, 3, 6, 5]));
    expect(y.shape).toEqual([2, 3, 4, 5]);
    // numpy broadcasting gives 2·3 batches = 120 values; tfjs-cpu computes max(2, 3) = 3 batches = 60.
    expect((await y.data()).length).toBe(60);
    y.dispose();
  });

  // Met while checking cuda's image kernels (test/cuda/emulate/check-kernels.ts); cuda follows the ops' definitions.
  const kernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor =>
    tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;

  it('ResizeBilinearGrad returns the images\' shape with height and width swapped', async () => {
    await tf.setBackend('cpu');
    const images = tf.zeros([1, 3, 5, 2]);
    const dx = kernel('ResizeBilinearGrad', { images, dy: tf.ones([1, 4, 4, 2]) }, { alignCorners: false });
    expect(dx.shape).toEqual([1, 5, 3, 2]);
    tf.dispose([images, dx]);
  });

  it('ResizeNearestNeighborGrad reads dy with the images\' batch stride: the second batch differs from the same batch alone', async () => {
    await tf.setBackend('cpu');
    const images = tf.zeros([2, 3, 3, 1]);
    const dy = tf.reshape(tf.range(1, 1 + 2 * 5 * 5, 1, 'float32'), [2, 5, 5, 1]);
    const both = await kernel('ResizeNearestNeighborGrad', { images, dy }, { alignCorners: false }).data();
    const alone = await kernel('ResizeNearestNeighborGrad', { images: tf.zeros([1, 3, 3, 1]), dy: tf.slice(dy, 1, 1) }, { alignCorners: false }).data();
    expect(Array.from(both.slice(9))).not.toEqual(Array.from(alone));
  });

  it('Transform fills only the first batch: later batches keep the fill value', async () => {
    await tf.setBackend('cpu');
    const out = tf.image.transform(tf.ones([2, 2, 2, 1]) as tf.Tensor4D, tf.tensor2d([[1, 0, 0, 0, 1, 0, 0, 0]]), 'nearest', 'constant', 7);
    expect(Array.from(await out.data())).toEqual([1, 1, 1, 1, 7, 7, 7, 7]);
  });
});
