/**
 * Depthwise Conv2d 3×3 + BatchNorm + ReLU, MobileNet's depthwise unit (NHWC, stride 1, 'same').
 * Unfused: depthwiseConv2d, batchNorm, relu. Fused: BN folded into the depthwise filter and a bias outside
 * timing (`prepare`), then one depthwise convolution with bias and ReLU in its epilogue.
 * (MobileNetV2 uses ReLU6; ReLU keeps the pattern comparable with the Conv suites.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { depthwiseConv2dAct, describeFusedPaths, fusedPathFor } from '../../kernels/ops.ts';
import { bandwidthModel } from '../study.ts';
import {
  batchNorm, DEPTHWISE_STANDS_FOR, depthwise, depthwiseCost, depthwiseInputs, depthwiseLabel, depthwiseMagnitude, depthwiseReference,
  depthwiseSizes, foldBatchNorm, type DepthwiseP,
} from './shapes.ts';

const AT: DepthwiseP = { h: 56, w: 56, c: 144 };

export default defineSuite<DepthwiseP>({
  id: 'DepthwiseConv2d_BN_ReLU',
  family: 'conv',
  title: 'Depthwise Conv2d + BatchNorm + ReLU (folded)',
  standsFor: DEPTHWISE_STANDS_FOR,
  sizes: depthwiseSizes,
  label: depthwiseLabel,
  magnitude: depthwiseMagnitude,
  inputs: depthwiseInputs,
  prepare: (t) => foldBatchNorm(t, true),
  unfused: (t) => tf.relu(batchNorm(depthwise(t), t)),
  fused: (t) => depthwiseConv2dAct(t.x, t.wf, t.bf, { activation: 'relu' }),
  fusedBy: 'folded at build time',
  fusedPath: (backend) => fusedPathFor('depthwiseConv2dBiasRelu', backend),
  cost: depthwiseCost,
  reference: depthwiseReference,
  predictions: {
    cpu: bandwidthModel('DepthwiseConv2d_BN_ReLU (the study lists it as future work)', depthwiseCost(AT), depthwiseLabel(AT)),
    gpu: bandwidthModel('DepthwiseConv2d_BN_ReLU (the study lists it as future work)', depthwiseCost(AT), depthwiseLabel(AT)),
  },
  notes: [
    'BN is folded into the depthwise filter and a per-channel bias in prepare (float32, on the backend, outside timing).',
    ...describeFusedPaths('depthwiseConv2dBiasRelu'),
  ],
});
