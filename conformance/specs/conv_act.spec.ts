/// <reference types="jasmine" />
/**
 * The fused conv epilogues: act(conv2d(x, filter) + bias) and act(depthwiseConv2d(x, filter) + bias), NHWC,
 * through kernels/ops.ts as suites call them — fusebench's FusebenchConv2DAct / FusebenchDepthwiseConv2DAct on
 * cpu, the backend's own FusedConv2D / FusedDepthwiseConv2D elsewhere (cuda's included) — and bad input to
 * fusebench's kernels where they are registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ALL_ENVS, describeWithFlags } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { CONV2D_ACT, DEPTHWISE_CONV2D_ACT } from '../../kernels/names.ts';
import { conv2dAct, depthwiseConv2dAct } from '../../kernels/ops.ts';
import { addBias, conv2dNHWC, convOutput, depthwiseConv2dNHWC, map, relu, type Conv2dGeometry } from '../../harness/core/reference.ts';
import { expectErrorNaming, expectNear, itKernel, rng, runKernel, tensorOf, uniform, F32 } from '../spec-helpers.ts';

/** Odd geometries: 1×1, 3×3 and 5×3 filters, strides 1 and 2, same and valid padding, odd channel counts. */
const GEOMETRIES: readonly Conv2dGeometry[] = [
  { batch: 1, inH: 1, inW: 1, inC: 1, fH: 1, fW: 1, outC: 1, stride: 1, pad: 'same' },
  { batch: 2, inH: 5, inW: 7, inC: 3, fH: 3, fW: 3, outC: 5, stride: 1, pad: 'same' },
  { batch: 1, inH: 9, inW: 6, inC: 4, fH: 5, fW: 3, outC: 3, stride: 2, pad: 'same' },
  { batch: 3, inH: 8, inW: 5, inC: 2, fH: 3, fW: 3, outC: 7, stride: 2, pad: 'valid' },
  { batch: 1, inH: 6, inW: 6, inC: 5, fH: 1, fW: 1, outC: 9, stride: 1, pad: 'valid' },
];

for (const depthwise of [false, true]) {
  const kernel = depthwise ? DEPTHWISE_CONV2D_ACT : CONV2D_ACT;
  const op = depthwise ? depthwiseConv2dAct : conv2dAct;
  describeWithFlags(depthwise ? 'fused depthwise conv epilogue (depthwiseConv2dAct)' : 'fused conv epilogue (conv2dAct)', ALL_ENVS, () => {
    for (const activation of ['linear', 'relu'] as const) {
      it(`${activation}: odd geometries, bias broadcast over every pixel`, async () => {
        for (const [i, g0] of GEOMETRIES.entries()) {
          // Depthwise: outC is the channel multiplier (1 or 2 here).
          const g = depthwise ? { ...g0, outC: 1 + (i % 2) } : g0;
          const r = rng(70 + i);
          const channels = depthwise ? g.inC * g.outC : g.outC;
          const x = uniform([g.batch, g.inH, g.inW, g.inC], r), w = uniform([g.fH, g.fW, g.inC, g.outC], r), bias = uniform([channels], r);
          const y = depthwise ? depthwiseConv2dNHWC(x.data, w.data, g) : conv2dNHWC(x.data, w.data, g);
          const want = map(addBias(y, bias.data), activation === 'relu' ? relu : (v) => v);
          const { outH, outW } = convOutput(g);
          const got = op(tensorOf(x), tensorOf(w), tensorOf(bias), { strides: g.stride, pad: g.pad, activation });
          await expectNear(got, [g.batch, outH, outW, channels], want, F32);
        }
      });
    }

    itKernel(kernel, `${kernel}: bad input names the input or attr at fault`, () => {
      const x = tf.ones([1, 4, 4, 3]), filter = tf.ones([3, 3, 3, depthwise ? 2 : 5]), bias = tf.ones([depthwise ? 6 : 5]);
      const attrs = { strides: 1, pad: 'same', activation: 'relu' };
      expectErrorNaming(() => runKernel(kernel, { x: tf.ones([4, 4, 3]), filter, bias }, attrs), kernel, 'x');
      expectErrorNaming(() => runKernel(kernel, { x, filter: tf.ones([3, 3, 2, 5]), bias }, attrs), kernel, 'filter');
      expectErrorNaming(() => runKernel(kernel, { x, filter: tf.ones([3, 3, 3]), bias }, attrs), kernel, 'filter');
      expectErrorNaming(() => runKernel(kernel, { x, filter, bias: tf.ones([4]) }, attrs), kernel, 'bias');
      expectErrorNaming(() => runKernel(kernel, { x, filter }, attrs), kernel, 'bias');
      expectErrorNaming(() => runKernel(kernel, { x: tf.ones([1, 4, 4, 3], 'int32'), filter, bias }, attrs), kernel, 'x');
      expectErrorNaming(() => runKernel(kernel, { x, filter, bias }, { ...attrs, pad: 'full' }), kernel, 'pad');
      expectErrorNaming(() => runKernel(kernel, { x, filter, bias }, { ...attrs, activation: 'gelu' }), kernel, 'activation');
    });
  });
}
