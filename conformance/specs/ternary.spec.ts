/// <reference types="jasmine" />
/**
 * The ternary kernels (TernaryUnary, TernaryBinary, TernaryNotBinary, TernaryFused3) and FusebenchCopy: int32
 * trits, every input the same shape; results checked exactly against kernels/ternary/reference.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ALL_ENVS, describeWithFlags } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { BINARY_OPS, PHASE_42_COMPOSITIONS } from '../../kernels/ternary/spec.ts';
import { FUSEBENCH_COPY } from '../../kernels/names.ts';
import { refBinaryArray, refFused3Array, refNotBinaryArray, refUnaryArray } from '../../kernels/ternary/reference.ts';
import { expectErrorNaming, expectExact, itKernel, rng, runKernel, tensorOf, trits } from '../spec-helpers.ts';

/** Odd sizes: below, at and just above the 4-wide and 16-wide vector widths the kernels use. */
const SHAPES: readonly (readonly number[])[] = [[1], [3], [5], [17], [4099], [3, 7, 11]];

describeWithFlags('ternary kernels', ALL_ENVS, () => {
  itKernel('TernaryUnary', 'tnot over odd shapes', async () => {
    for (const [i, shape] of SHAPES.entries()) {
      const x = trits(shape, rng(30 + i));
      await expectExact(runKernel('TernaryUnary', { x: tensorOf(x) }, { op: 'tnot' }), shape, refUnaryArray(x.data));
    }
  });

  for (const kernel of ['TernaryBinary', 'TernaryNotBinary'] as const) {
    itKernel(kernel, `${BINARY_OPS.join(', ')} over odd shapes`, async () => {
      for (const op of BINARY_OPS) {
        for (const [i, shape] of SHAPES.entries()) {
          const r = rng(40 + i);
          const a = trits(shape, r), b = trits(shape, r);
          const want = kernel === 'TernaryBinary' ? refBinaryArray(op, a.data, b.data) : refNotBinaryArray(op, a.data, b.data);
          await expectExact(runKernel(kernel, { a: tensorOf(a), b: tensorOf(b) }, { op }), shape, want);
        }
      }
    });
  }

  itKernel('TernaryFused3', 'all 16 inner/outer compositions over odd shapes', async () => {
    for (const [inner, outer] of PHASE_42_COMPOSITIONS) {
      for (const [i, shape] of SHAPES.entries()) {
        const r = rng(50 + i);
        const a = trits(shape, r), b = trits(shape, r), c = trits(shape, r);
        const got = runKernel('TernaryFused3', { a: tensorOf(a), b: tensorOf(b), c: tensorOf(c) }, { inner, outer });
        await expectExact(got, shape, refFused3Array(inner, outer, a.data, b.data, c.data));
      }
    }
  });

  itKernel(FUSEBENCH_COPY, 'copies int32 and float32 tensors of odd sizes', async () => {
    for (const shape of [[1], [5], [4099]]) {
      const x = trits(shape, rng(60));
      await expectExact(runKernel(FUSEBENCH_COPY, { x: tensorOf(x) }), shape, x.data);
      await expectExact(runKernel(FUSEBENCH_COPY, { x: tf.range(0, shape[0]!, 1, 'float32') }), shape, Array.from({ length: shape[0]! }, (_, i) => i));
    }
  });

  itKernel('TernaryBinary', 'empty tensors give an empty result', async () => {
    const got = runKernel('TernaryBinary', { a: tf.zeros([0, 4], 'int32'), b: tf.zeros([0, 4], 'int32') }, { op: 'tadd' });
    expect(got.shape).toEqual([0, 4]);
  });

  itKernel('TernaryBinary', 'bad input names the input or attr at fault', () => {
    const a = tf.tensor1d([1, 0, -1], 'int32');
    expectErrorNaming(() => runKernel('TernaryBinary', { a, b: tf.tensor1d([1, 0], 'int32') }, { op: 'tadd' }), 'TernaryBinary', 'b');
    expectErrorNaming(() => runKernel('TernaryBinary', { a, b: tf.tensor1d([1, 0, 1]) }, { op: 'tadd' }), 'TernaryBinary', 'b');
    expectErrorNaming(() => runKernel('TernaryBinary', { a }, { op: 'tadd' }), 'TernaryBinary', 'b');
    expectErrorNaming(() => runKernel('TernaryBinary', { a, b: a }, { op: 'tsub' }), 'TernaryBinary', 'op');
    expectErrorNaming(() => runKernel('TernaryBinary', { a, b: tf.tensor1d([1, 2, 0], 'int32') }, { op: 'tadd', validate: true }), 'TernaryBinary', 'b');
    expectErrorNaming(() => runKernel('TernaryFused3', { a, b: a, c: tf.tensor2d([[1, 0, -1]], [1, 3], 'int32') }, { inner: 'tadd', outer: 'tmul' }), 'TernaryFused3', 'c');
    expectErrorNaming(() => runKernel('TernaryFused3', { a, b: a, c: a }, { inner: 'tadd', outer: 'max' }), 'TernaryFused3', 'outer');
    expectErrorNaming(() => runKernel('TernaryUnary', { x: tf.tensor1d([0.5]) }, { op: 'tnot' }), 'TernaryUnary', 'x');
  });
});
