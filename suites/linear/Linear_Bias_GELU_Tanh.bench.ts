/**
 * Linear + Bias + GELU in its tanh approximation (GPT-2's gelu_new), 0.5·h·(1 + tanh(√(2/π)·(h + 0.044715·h³))).
 * It exists beside the exact-erf Linear_Bias_GELU because this is the GELU that cuBLASLt's epilogue computes:
 * on cuda the fused variant is one cuBLASLt matmul with GELU_BIAS in its epilogue. Unfused: matMul, add, then
 * the nine elementwise tfjs ops of the formula. Fused elsewhere: FusebenchLinearAct with activation gelu_tanh.
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, linearAct } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  LINEAR_STANDS_FOR, linearCost, linearInputs, linearLabel, linearMagnitude, linearReference, linearSizes, unfusedLinear, type LinearP,
} from './shapes.ts';

export default defineSuite<LinearP>({
  id: 'Linear_Bias_GELU_Tanh',
  family: 'linear',
  title: 'Linear + Bias + GELU (tanh approximation)',
  standsFor: ['GPT-2 FFN up-projection with gelu_new, 768→3072', ...LINEAR_STANDS_FOR.slice(2)],
  sizes: linearSizes,
  label: linearLabel,
  magnitude: linearMagnitude,
  inputs: linearInputs,
  unfused: (t) => unfusedLinear(t, 'gelu_tanh'),
  fused: (t) => linearAct(t.x, t.w, t.b, 'gelu_tanh'),
  fusedBy: 'fusebench kernel',
  cost: (p) => linearCost(p, 'gelu_tanh'),
  reference: linearReference('gelu_tanh'),
  predictions: {
    cpu: studyCpu('Linear+Bias+GELU', 0.83, 1.0),
    gpu: studyGpu('Linear+Bias', 1.5, 2, 'the table has no GELU row; its Linear+Bias row is used'),
  },
  notes: [
    'tfjs has no GELU epilogue (tf.fused.matMul offers linear, relu, relu6, prelu, leakyrelu, sigmoid and elu), so the fused variant is FusebenchLinearAct; on cuda that kernel is a single cuBLASLt matmul with the GELU_BIAS epilogue, whose GELU is this tanh form.',
    'The float64 reference computes the same tanh form, so the check measures the kernel, not the difference between GELU definitions (up to ~5e-4 from exact erf GELU).',
    ...describeFusedPaths('matMulBiasGeluTanh'),
  ],
});
