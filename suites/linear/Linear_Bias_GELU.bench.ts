/**
 * Linear + Bias + GELU (exact erf form), the transformer FFN activation. Unfused: matMul, add, then GELU as
 * tfjs ops (tfjs-core has no gelu op): 0.5·h·(1 + erf(h/√2)), 5 kernels. Fused: FusebenchLinearAct on every
 * backend, because tf.fused.matMul has no GELU activation (its set is linear, relu, relu6, prelu, leakyrelu,
 * sigmoid, elu), so no tfjs backend has a GELU epilogue.
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, linearAct } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  LINEAR_STANDS_FOR, linearCost, linearInputs, linearLabel, linearMagnitude, linearReference, linearSizes, unfusedLinear, type LinearP,
} from './shapes.ts';

export default defineSuite<LinearP>({
  id: 'Linear_Bias_GELU',
  family: 'linear',
  title: 'Linear + Bias + GELU',
  standsFor: ['BERT-base / GPT-2 FFN up-projection with GELU, 768→3072', ...LINEAR_STANDS_FOR.slice(2)],
  sizes: linearSizes,
  label: linearLabel,
  magnitude: linearMagnitude,
  inputs: linearInputs,
  unfused: (t) => unfusedLinear(t, 'gelu'),
  fused: (t) => linearAct(t.x, t.w, t.b, 'gelu'),
  fusedBy: 'fusebench kernel',
  cost: (p) => linearCost(p, 'gelu'),
  reference: linearReference('gelu'),
  predictions: {
    cpu: studyCpu('Linear+Bias+GELU', 0.83, 1.0),
    gpu: studyGpu('Linear+Bias', 1.5, 2, 'the table has no GELU row; its Linear+Bias row is used'),
  },
  notes: [
    'tfjs has no GELU epilogue: tf.fused.matMul offers linear, relu, relu6, prelu, leakyrelu, sigmoid and elu only, so the fused variant is the FusebenchLinearAct kernel on every backend.',
    'GELU uses erf by Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7), the same approximation as tfjs\'s Erf kernel.',
    ...describeFusedPaths('matMulBiasGelu'),
  ],
});
