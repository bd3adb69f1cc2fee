/**
 * Conv2d + BatchNorm + ReLU, the ResNet block's conv unit. Unfused: conv2d, batchNorm, relu. Fused: BN folded
 * into the filter and a bias outside timing (`prepare`), then one convolution with bias and ReLU in its
 * epilogue. The study's "Conv+BN+ReLU" row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { conv2dAct, describeFusedPaths, fusedPathFor } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  batchNorm, CONV_STANDS_FOR, conv, convCost, convInputs, convLabel, convMagnitude, convReference, convSizes, foldBatchNorm, type ConvP,
} from './shapes.ts';

export default defineSuite<ConvP>({
  id: 'Conv2d_BN_ReLU',
  family: 'conv',
  title: 'Conv2d + BatchNorm + ReLU (folded)',
  standsFor: CONV_STANDS_FOR,
  sizes: convSizes,
  label: convLabel,
  magnitude: convMagnitude,
  inputs: (p, rng) => convInputs(p, rng, true),
  prepare: (t) => foldBatchNorm(t, false),
  unfused: (t) => tf.relu(batchNorm(conv(t), t)),
  fused: (t) => conv2dAct(t.x, t.wf, t.bf, { activation: 'relu' }),
  fusedBy: 'folded at build time',
  fusedPath: (backend) => fusedPathFor('conv2dBiasRelu', backend),
  cost: (p) => convCost(p, 'bn+relu'),
  reference: convReference('bn+relu'),
  predictions: {
    cpu: studyCpu('Conv+BN+ReLU', 1.03, 1.07),
    gpu: studyGpu('Conv+BN+ReLU', 2, 4),
  },
  notes: [
    'BN is folded into the filter and a per-channel bias in prepare (float32, on the backend, outside timing); the folded conv then runs on the path below.',
    ...describeFusedPaths('conv2dBiasRelu'),
  ],
});
