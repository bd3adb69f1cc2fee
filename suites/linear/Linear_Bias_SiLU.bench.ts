/**
 * Linear + Bias + SiLU (Swish, x·sigmoid(x)), the activation of LLaMA-style and EfficientNet layers.
 * Unfused: matMul, add, sigmoid, mul (tfjs-core has no swish op). Fused: FusebenchLinearAct on every backend,
 * because tf.fused.matMul has no SiLU activation.
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, linearAct } from '../../kernels/ops.ts';
import { nearestStudyCpu, studyGpu } from '../study.ts';
import {
  LINEAR_STANDS_FOR, linearCost, linearInputs, linearLabel, linearMagnitude, linearReference, linearSizes, unfusedLinear, type LinearP,
} from './shapes.ts';

export default defineSuite<LinearP>({
  id: 'Linear_Bias_SiLU',
  family: 'linear',
  title: 'Linear + Bias + SiLU',
  standsFor: ['SiLU/Swish MLP layers (LLaMA-style gate, EfficientNet head) at BERT-base widths 768→3072', ...LINEAR_STANDS_FOR.slice(2)],
  sizes: linearSizes,
  label: linearLabel,
  magnitude: linearMagnitude,
  inputs: linearInputs,
  unfused: (t) => unfusedLinear(t, 'silu'),
  fused: (t) => linearAct(t.x, t.w, t.b, 'silu'),
  fusedBy: 'fusebench kernel',
  cost: (p) => linearCost(p, 'silu'),
  reference: linearReference('silu'),
  predictions: {
    cpu: nearestStudyCpu('Linear+Bias+SiLU', 'Linear+Bias+GELU', 0.83, 1.0),
    gpu: studyGpu('Linear+Bias', 1.5, 2, 'the study did not consider SiLU; its Linear+Bias row is used'),
  },
  notes: [
    'tfjs has no SiLU/Swish epilogue in tf.fused.matMul, so the fused variant is the FusebenchLinearAct kernel on every backend.',
    ...describeFusedPaths('matMulBiasSilu'),
  ],
});
