/**
 * FINDING (tfjs-backend-wasm 4.22.0): tf.fused.matMul with a bias or a ReLU/ReLU6 activation computes wrong
 * results whenever it does not take the XNNPACK path, i.e. with transposeA, transposeB or a batch > 1.
 * Source: tfjs-backend-wasm src/cc/batch_mat_mul_impl.cc at tag tfjs-v4.22.0, `slow_batch_matmul`
 * (selected at lines 293–300):
 *   1. line 252: bias_index = min(i·N + j, bias.size − 1), so every row after the first gets bias[N − 1];
 *   2. lines 232–258: the bias is added once per 48-wide block of K (kBlockSize), i.e. ⌈K/48⌉ times;
 *   3. lines 257–258: the ReLU/ReLU6 clamp is applied to each partial sum per block of K, not to the result.
 * tfjs-backend-cpu computes all three correctly (the controls below). These tests pin the wrong behaviour:
 * they fail once tfjs is fixed, which is the signal to delete them and drop the guard in
 * kernels/common/wasm_heap.ts (heapMatMul refuses a bias with transposeB). No fusebench suite uses this path:
 * QKT's fused matMul has neither bias nor activation, and the Linear suites' 2-D matMuls take XNNPACK.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { cpuBackend } from '../../backends/cpu.ts';
import { wasmBackend } from '../../backends/wasm.ts';

async function on(backend: 'cpu' | 'wasm', f: () => number[]): Promise<number[]> {
  await (backend === 'cpu' ? cpuBackend : wasmBackend).init();
  return tf.tidy(f);
}

/** Smallest shape for bug 1: a [2,1] · b [2,1]ᵀ = ones(2,2), + bias [10, 20]. */
const rowBias = (): number[] => Array.from(tf.fused.matMul({
  a: tf.tensor2d([[1], [1]]), b: tf.tensor2d([[1], [1]]), transposeB: true, bias: tf.tensor1d([10, 20]),
}).dataSync());

/** Smallest shape for bug 2: K = 49 (two blocks of K), ones · ones = 49, + bias 1. */
const blockBias = (): number[] => Array.from(tf.fused.matMul({
  a: tf.ones([1, 49]), b: tf.ones([1, 49]), transposeB: true, bias: tf.tensor1d([1]),
}).dataSync());

/** Smallest shape for bug 3: K = 49, 48 × (−1) + 1 × (+1) = −47, relu → 0. */
const blockRelu = (): number[] => {
  const a = tf.tensor2d([[...Array.from({ length: 48 }, () => -1), 1]]);
  return Array.from(tf.fused.matMul({ a, b: tf.ones([1, 49]), transposeB: true, activation: 'relu' }).dataSync());
};

/** The same row-bias bug without any transpose, through a batch of 2. */
const batchedRowBias = (): number[] => Array.from(tf.fused.matMul({
  a: tf.ones([2, 2, 1]), b: tf.ones([2, 1, 2]), bias: tf.tensor1d([10, 20]),
}).dataSync());

describe('finding: tfjs-backend-wasm fused matMul, non-XNNPACK path', () => {
  beforeAll(async () => {
    await wasmBackend.init();
  });

  it('control: tfjs-backend-cpu gets all four right', async () => {
    expect(await on('cpu', rowBias)).toEqual([11, 21, 11, 21]);
    expect(await on('cpu', blockBias)).toEqual([50]);
    expect(await on('cpu', blockRelu)).toEqual([0]);
    expect(await on('cpu', batchedRowBias)).toEqual([11, 21, 11, 21, 11, 21, 11, 21]);
  });

  it('bug 1: rows after the first get the last bias value (transposeB, M=2 K=1 N=2)', async () => {
    expect(await on('wasm', rowBias)).toEqual([11, 21, 21, 21]);
  });

  it('bug 1 again through batch > 1 without transposes', async () => {
    expect(await on('wasm', batchedRowBias)).toEqual([11, 21, 21, 21, 11, 21, 21, 21]);
  });

  it('bug 2: the bias is added once per 48-wide block of K (transposeB, M=1 K=49 N=1)', async () => {
    expect(await on('wasm', blockBias)).toEqual([51]);
  });

  it('bug 3: ReLU clamps partial sums per block of K (transposeB, M=1 K=49 N=1)', async () => {
    expect(await on('wasm', blockRelu)).toEqual([1]);
  });
});
