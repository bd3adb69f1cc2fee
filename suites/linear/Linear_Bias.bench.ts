/**
 * Linear + Bias: y = x·W + b. Unfused: matMul, then add. Fused: one matMul with the bias in its epilogue.
 * The study's "Linear+Bias" row (PyTorch torch.addmm).
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, fusedPathFor, linearAct } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  LINEAR_STANDS_FOR, linearCost, linearInputs, linearLabel, linearMagnitude, linearReference, linearSizes, unfusedLinear, type LinearP,
} from './shapes.ts';

export default defineSuite<LinearP>({
  id: 'Linear_Bias',
  family: 'linear',
  title: 'Linear + Bias',
  standsFor: LINEAR_STANDS_FOR,
  sizes: linearSizes,
  label: linearLabel,
  magnitude: linearMagnitude,
  inputs: linearInputs,
  unfused: (t) => unfusedLinear(t, 'linear'),
  fused: (t) => linearAct(t.x, t.w, t.b, 'linear'),
  fusedBy: 'tfjs fused kernel',
  fusedPath: (backend) => fusedPathFor('matMulBias', backend),
  cost: (p) => linearCost(p, 'linear'),
  reference: linearReference('linear'),
  predictions: {
    cpu: studyCpu('Linear+Bias', 0.99, 1.01),
    gpu: studyGpu('Linear+Bias', 1.5, 2),
  },
  notes: describeFusedPaths('matMulBias'),
});
