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
});
