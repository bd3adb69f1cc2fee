/**
 * Linear + Bias + ReLU: y = max(x·W + b, 0). Unfused: matMul, add, relu. Fused: one matMul with bias and
 * ReLU in its epilogue. The study's "Linear+Bias+ReLU" row.
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, fusedPathFor, linearAct } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  LINEAR_STANDS_FOR, linearCost, linearInputs, linearLabel, linearMagnitude, linearReference, linearSizes, unfusedLinear, type LinearP,
} from './shapes.ts';

export default defineSuite<LinearP>({
  id: 'Linear_Bias_ReLU',
  family: 'linear',
  title: 'Linear + Bias + ReLU',
  standsFor: LINEAR_STANDS_FOR,
  sizes: linearSizes,
  label: linearLabel,
  magnitude: linearMagnitude,
  inputs: linearInputs,
  unfused: (t) => unfusedLinear(t, 'relu'),
  fused: (t) => linearAct(t.x, t.w, t.b, 'relu'),
  fusedBy: 'tfjs fused kernel',
  fusedPath: (backend) => fusedPathFor('matMulBiasRelu', backend),
  cost: (p) => linearCost(p, 'relu'),
  reference: linearReference('relu'),
  predictions: {
    cpu: studyCpu('Linear+Bias+ReLU', 0.98, 1.0),
    gpu: studyGpu('Linear+Bias', 1.5, 2, 'the table has no Linear+Bias+ReLU row; its Linear+Bias row is used'),
  },
  notes: describeFusedPaths('matMulBiasRelu'),
});
