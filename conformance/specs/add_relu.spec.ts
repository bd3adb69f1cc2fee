/// <reference types="jasmine" />
/** FusebenchAddRelu: max(a + b, 0), a and b float32 of the same shape (the kernel does not broadcast). */
import * as tf from '@tensorflow/tfjs-core';
import { ALL_ENVS, describeWithFlags } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { ADD_RELU } from '../../kernels/names.ts';
import { add, map, relu } from '../../harness/core/reference.ts';
import { expectErrorNaming, expectNear, itKernel, rng, runKernel, tensorOf, uniform, F32 } from '../spec-helpers.ts';

describeWithFlags('FusebenchAddRelu', ALL_ENVS, () => {
  itKernel(ADD_RELU, 'odd sizes and ranks (1, 7, 4099, [3, 5, 7], [2, 1, 3, 1, 5])', async () => {
    for (const [i, shape] of [[1], [7], [4099], [3, 5, 7], [2, 1, 3, 1, 5]].entries()) {
      const r = rng(10 + i);
      const a = uniform(shape, r), b = uniform(shape, r);
      await expectNear(runKernel(ADD_RELU, { a: tensorOf(a), b: tensorOf(b) }), shape, map(add(a.data, b.data), relu), F32);
    }
  });

  itKernel(ADD_RELU, 'NaN stays NaN, as in tfjs Relu', async () => {
    const got = await runKernel(ADD_RELU, { a: tf.tensor1d([NaN, -1, 2, 0]), b: tf.tensor1d([1, -1, -3, 0]) }).data();
    expect(Array.from(got)).toEqual([NaN, 0, 0, 0]);
  });

  itKernel(ADD_RELU, 'empty tensors give an empty result', async () => {
    const got = runKernel(ADD_RELU, { a: tf.zeros([0, 3]), b: tf.zeros([0, 3]) });
    expect(got.shape).toEqual([0, 3]);
  });

  itKernel(ADD_RELU, 'bad input names the input at fault (no broadcasting, float32 only)', () => {
    const a = tf.ones([2, 3]);
    expectErrorNaming(() => runKernel(ADD_RELU, { a, b: tf.ones([3]) }), ADD_RELU, 'b');
    expectErrorNaming(() => runKernel(ADD_RELU, { a, b: tf.ones([3, 2]) }), ADD_RELU, 'b');
    expectErrorNaming(() => runKernel(ADD_RELU, { a }), ADD_RELU, 'b');
    expectErrorNaming(() => runKernel(ADD_RELU, { a: tf.ones([2, 3], 'int32'), b: a }), ADD_RELU, 'a');
  });
});
