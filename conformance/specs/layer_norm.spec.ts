/// <reference types="jasmine" />
/** FusebenchLayerNorm: (x − mean)/√(var + ε)·γ + β over the last axis of x [..., D]; γ, β [D] broadcast over the rows. */
import * as tf from '@tensorflow/tfjs-core';
import { ALL_ENVS, describeWithFlags } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { LAYER_NORM } from '../../kernels/names.ts';
import { layerNorm } from '../../harness/core/reference.ts';
import { expectErrorNaming, expectNear, itKernel, rng, runKernel, tensorOf, uniform, F32, type KernelAttrs } from '../spec-helpers.ts';

async function check(shape: readonly number[], seed: number, epsilon?: number): Promise<void> {
  const r = rng(seed);
  const d = shape[shape.length - 1]!;
  const x = uniform(shape, r, -3, 3), gamma = uniform([d], r), beta = uniform([d], r);
  const rows = x.data.length / d;
  const attrs: KernelAttrs = epsilon === undefined ? {} : { epsilon };
  const got = runKernel(LAYER_NORM, { x: tensorOf(x), gamma: tensorOf(gamma), beta: tensorOf(beta) }, attrs);
  await expectNear(got, shape, layerNorm(x.data, gamma.data, beta.data, rows, d, epsilon ?? 1e-5), F32);
}

describeWithFlags('FusebenchLayerNorm', ALL_ENVS, () => {
  itKernel(LAYER_NORM, 'ranks 1 to 4 with odd last axes (1, 7, 129, 1031)', async () => {
    await check([7], 1);
    await check([3, 129], 2);
    await check([2, 5, 1031], 3);
    await check([2, 3, 1, 7], 4);
  });

  itKernel(LAYER_NORM, 'D = 1: every row normalises to beta', async () => {
    await check([5, 1], 5);
  });

  itKernel(LAYER_NORM, 'the epsilon attr is used (1e-1 and 0)', async () => {
    await check([4, 9], 6, 0.1);
    await check([4, 9], 7, 0);
  });

  itKernel(LAYER_NORM, 'no rows ([0, 8]) gives an empty result', async () => {
    const got = runKernel(LAYER_NORM, { x: tf.zeros([0, 8]), gamma: tf.ones([8]), beta: tf.zeros([8]) });
    expect(got.shape).toEqual([0, 8]);
    expect((await got.data()).length).toBe(0);
  });

  itKernel(LAYER_NORM, 'bad input names the input or attr at fault', () => {
    const x = tf.ones([2, 4]), gamma = tf.ones([4]), beta = tf.zeros([4]);
    expectErrorNaming(() => runKernel(LAYER_NORM, { x: tf.scalar(1), gamma: tf.ones([1]), beta: tf.zeros([1]) }), LAYER_NORM, 'x');
    expectErrorNaming(() => runKernel(LAYER_NORM, { x, gamma: tf.ones([3]), beta }), LAYER_NORM, 'gamma');
    expectErrorNaming(() => runKernel(LAYER_NORM, { x, gamma: tf.ones([1, 4]), beta }), LAYER_NORM, 'gamma');
    expectErrorNaming(() => runKernel(LAYER_NORM, { x, gamma, beta: tf.zeros([5]) }), LAYER_NORM, 'beta');
    expectErrorNaming(() => runKernel(LAYER_NORM, { x, gamma }), LAYER_NORM, 'beta');
    expectErrorNaming(() => runKernel(LAYER_NORM, { x: tf.ones([2, 4], 'int32'), gamma, beta }), LAYER_NORM, 'x');
    expectErrorNaming(() => runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon: -1 }), LAYER_NORM, 'epsilon');
  });
});
