/**
 * Conv2d (+ bias) + ReLU, NHWC 3×3 'same'. Unfused: conv2d, add bias, relu. Fused: one convolution with bias
 * and ReLU in its epilogue. The study's "Conv+ReLU" row (nn.Conv2d has a bias by default).
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { conv2dAct, describeFusedPaths, fusedPathFor } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import { CONV_STANDS_FOR, conv, convCost, convInputs, convLabel, convMagnitude, convReference, convSizes, type ConvP } from './shapes.ts';

export default defineSuite<ConvP>({
  id: 'Conv2d_ReLU',
  family: 'conv',
  title: 'Conv2d (+ bias) + ReLU',
  standsFor: CONV_STANDS_FOR,
  sizes: convSizes,
  label: convLabel,
  magnitude: convMagnitude,
  inputs: (p, rng) => convInputs(p, rng, false),
  unfused: (t) => tf.relu(tf.add(conv(t), t.b)),
  fused: (t) => conv2dAct(t.x, t.w, t.b, { activation: 'relu' }),
  fusedBy: 'tfjs fused kernel',
  fusedPath: (backend) => fusedPathFor('conv2dBiasRelu', backend),
  cost: (p) => convCost(p, 'bias+relu'),
  reference: convReference('bias+relu'),
  predictions: {
    cpu: studyCpu('Conv+ReLU', 1.0, 1.01),
    gpu: studyGpu('Conv+BN', 2, 3, 'the table has no Conv+ReLU row; its nearest row, Conv+BN, is used'),
  },
  notes: describeFusedPaths('conv2dBiasRelu'),
});
