/**
 * Conv2d + BatchNorm (inference), NHWC 3×3 'same', no conv bias (as in ResNet). Unfused: conv2d, then
 * batchNorm. Fused: BN folded into the filter and a bias once, outside timing (`prepare`), then one convolution
 * with that bias in its epilogue. The study's "Conv+BN" row (BN folding).
 */
import { defineSuite } from 'fusebench';
import { conv2dAct, describeFusedPaths, fusedPathFor } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  batchNorm, CONV_STANDS_FOR, conv, convCost, convInputs, convLabel, convMagnitude, convReference, convSizes, foldBatchNorm, type ConvP,
} from './shapes.ts';

export default defineSuite<ConvP>({
  id: 'Conv2d_BN',
  family: 'conv',
  title: 'Conv2d + BatchNorm (folded)',
  standsFor: CONV_STANDS_FOR,
  sizes: convSizes,
  label: convLabel,
  magnitude: convMagnitude,
  inputs: (p, rng) => convInputs(p, rng, true),
  prepare: (t) => foldBatchNorm(t, false),
  unfused: (t) => batchNorm(conv(t), t),
  fused: (t) => conv2dAct(t.x, t.wf, t.bf, { activation: 'linear' }),
  fusedBy: 'folded at build time',
  fusedPath: (backend) => fusedPathFor('conv2dBias', backend),
  cost: (p) => convCost(p, 'bn'),
  reference: convReference('bn'),
  predictions: {
    cpu: studyCpu('Conv+BN', 1.03, 1.07),
    gpu: studyGpu('Conv+BN', 2, 3),
  },
  notes: [
    'BN is folded into the filter and a per-channel bias in prepare (float32, on the backend, outside timing); the folded conv then runs on the path below.',
    ...describeFusedPaths('conv2dBias'),
  ],
});
