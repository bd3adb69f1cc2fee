/// <reference types="jasmine" />
/**
 * FusebenchSDPA (softmax(q·kᵀ·scale)·v) and FusebenchQKTSoftmax (softmax(q·kᵀ·scale)): q, k, v [BH, S, D],
 * all the same shape, float32; scale defaults to 1/√D.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ALL_ENVS, describeWithFlags } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { QKT_SOFTMAX, SDPA } from '../../kernels/names.ts';
import { qktSoftmax, sdpa } from '../../harness/core/reference.ts';
import { expectErrorNaming, expectNear, itKernel, rng, runKernel, tensorOf, uniform, F32 } from '../spec-helpers.ts';

const SHAPES: ReadonlyArray<readonly [number, number, number]> = [[1, 1, 1], [3, 5, 7], [2, 17, 9], [1, 70, 33], [2, 3, 129]];

for (const kernel of [SDPA, QKT_SOFTMAX]) {
  const withV = kernel === SDPA;
  describeWithFlags(kernel, ALL_ENVS, () => {
    for (const scale of [undefined, 0.3]) {
      itKernel(kernel, `odd shapes [BH, S, D] ${SHAPES.map((s) => `[${s}]`).join(' ')}, scale ${scale ?? 'default 1/√D'}`, async () => {
        for (const [i, [bh, s, d]] of SHAPES.entries()) {
          const r = rng(20 + i);
          const q = uniform([bh, s, d], r, -2, 2), k = uniform([bh, s, d], r, -2, 2), v = uniform([bh, s, d], r);
          const sc = scale ?? 1 / Math.sqrt(d);
          const inputs: Record<string, tf.Tensor> = { q: tensorOf(q), k: tensorOf(k), ...(withV ? { v: tensorOf(v) } : {}) };
          const got = runKernel(kernel, inputs, scale === undefined ? {} : { scale });
          const want = withV ? sdpa(q.data, k.data, v.data, bh, s, d, sc) : qktSoftmax(q.data, k.data, bh, s, d, sc);
          await expectNear(got, withV ? [bh, s, d] : [bh, s, s], want, F32);
        }
      });
    }

    itKernel(kernel, 'bad input names the input or attr at fault', () => {
      const t = (shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Tensor => tf.ones(shape, dtype);
      const ok = (extra: Record<string, tf.Tensor> = {}): Record<string, tf.Tensor> => ({ q: t([2, 3, 4]), k: t([2, 3, 4]), ...(withV ? { v: t([2, 3, 4]) } : {}), ...extra });
      expectErrorNaming(() => runKernel(kernel, ok({ q: t([3, 4]) })), kernel, 'q');
      expectErrorNaming(() => runKernel(kernel, ok({ k: t([2, 3, 5]) })), kernel, 'k');
      expectErrorNaming(() => runKernel(kernel, ok({ k: t([1, 3, 4]) })), kernel, 'k');
      if (withV) expectErrorNaming(() => runKernel(kernel, ok({ v: t([2, 4, 4]) })), kernel, 'v');
      expectErrorNaming(() => runKernel(kernel, { q: t([2, 3, 4]) }), kernel, 'k');
      expectErrorNaming(() => runKernel(kernel, ok({ q: t([2, 3, 4], 'int32') })), kernel, 'q');
      expectErrorNaming(() => runKernel(kernel, ok(), { scale: NaN }), kernel, 'scale');
    });
  });
}
