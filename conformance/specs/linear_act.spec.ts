/// <reference types="jasmine" />
/** FusebenchLinearAct: act(a·b + bias), a [M,K], b [K,N], bias [N] broadcast over the rows; float32 only. */
import * as tf from '@tensorflow/tfjs-core';
import { ALL_ENVS, describeWithFlags } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { LINEAR_ACT } from '../../kernels/names.ts';
import { addBias, gelu, geluTanh, map, matmul, relu, silu } from '../../harness/core/reference.ts';
import { expectErrorNaming, expectNear, itKernel, rng, runKernel, tensorOf, uniform, F32 } from '../spec-helpers.ts';

const ACTS = { linear: (v: number) => v, relu, gelu, gelu_tanh: geluTanh, silu } as const;
type Act = keyof typeof ACTS;

async function check(m: number, k: number, n: number, act: Act, seed: number): Promise<void> {
  const r = rng(seed);
  const a = uniform([m, k], r), b = uniform([k, n], r), bias = uniform([n], r);
  const want = map(addBias(matmul(a.data, b.data, m, k, n), bias.data), ACTS[act]);
  const got = runKernel(LINEAR_ACT, { a: tensorOf(a), b: tensorOf(b), bias: tensorOf(bias) }, { activation: act });
  await expectNear(got, [m, n], want, F32);
}

describeWithFlags('FusebenchLinearAct', ALL_ENVS, () => {
  for (const act of Object.keys(ACTS) as Act[]) {
    itKernel(LINEAR_ACT, `${act}: odd shapes (1×1×1, 3×5×7, 17×33×9, 50×3×65)`, async () => {
      await check(1, 1, 1, act, 1);
      await check(3, 5, 7, act, 2);
      await check(17, 33, 9, act, 3);
      await check(50, 3, 65, act, 4);
    });
  }

  itKernel(LINEAR_ACT, 'activation defaults to linear', async () => {
    const r = rng(5);
    const a = uniform([4, 3], r), b = uniform([3, 2], r), bias = uniform([2], r);
    await expectNear(runKernel(LINEAR_ACT, { a: tensorOf(a), b: tensorOf(b), bias: tensorOf(bias) }), [4, 2], addBias(matmul(a.data, b.data, 4, 3, 2), bias.data), F32);
  });

  itKernel(LINEAR_ACT, 'an empty batch (M = 0) gives an empty [0, N] result', async () => {
    const got = runKernel(LINEAR_ACT, { a: tf.zeros([0, 3]), b: tf.ones([3, 4]), bias: tf.ones([4]) }, { activation: 'relu' });
    expect(got.shape).toEqual([0, 4]);
    expect((await got.data()).length).toBe(0);
  });

  itKernel(LINEAR_ACT, 'bad input names the input at fault', () => {
    const a = tf.ones([2, 3]), b = tf.ones([3, 4]), bias = tf.ones([4]);
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a: tf.ones([1, 2, 3]), b, bias }), LINEAR_ACT, 'a');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a, b: tf.ones([5, 4]), bias }), LINEAR_ACT, 'b');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a, b: tf.ones([3]), bias }), LINEAR_ACT, 'b');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a, b, bias: tf.ones([3]) }), LINEAR_ACT, 'bias');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a, b, bias: tf.ones([1, 4]) }), LINEAR_ACT, 'bias');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a, b }), LINEAR_ACT, 'bias');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a: tf.ones([2, 3], 'int32'), b, bias }), LINEAR_ACT, 'a');
    expectErrorNaming(() => runKernel(LINEAR_ACT, { a, b, bias }, { activation: 'tanh' }), LINEAR_ACT, 'activation');
  });
});
