/**
 * MLP, 2 layers: Linear(d→h) + ReLU → Linear(h→d), the transformer feed-forward block. Unfused: matMul, add,
 * relu, matMul, add (5 kernels). Fused: two fused linears (bias + ReLU, then bias), 2 kernels. The hidden
 * activation [M, h] is still written once between the layers; what fusion removes is the separate bias and
 * ReLU passes over it and over the output.
 */
import { defineSuite } from 'fusebench';
import { describeFusedPaths, fusedPathFor, linearAct } from '../../kernels/ops.ts';
import * as tf from '@tensorflow/tfjs-core';
import { nearestStudyCpu, studyGpu } from '../study.ts';
import { mlpCost, mlpInputs, mlpLabel, mlpMagnitude, mlpReference, mlpSizes, type MlpP } from './shapes.ts';

export default defineSuite<MlpP>({
  id: 'MLP_2Layer',
  family: 'linear',
  title: 'MLP: Linear + ReLU + Linear',
  standsFor: ['BERT-base FFN block 768→3072→768 (seq 128: 128×768→3072→768)', 'single-token decode through the same FFN (1×768→3072→768)'],
  sizes: mlpSizes,
  label: mlpLabel,
  magnitude: mlpMagnitude,
  inputs: mlpInputs,
  unfused: (t) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(t.x, t.w1), t.b1)), t.w2), t.b2),
  fused: (t) => linearAct(linearAct(t.x, t.w1, t.b1, 'relu'), t.w2, t.b2, 'linear'),
  fusedBy: 'tfjs fused kernel',
  fusedPath: (backend) => fusedPathFor('matMulBiasRelu', backend),
  cost: mlpCost,
  reference: mlpReference,
  predictions: {
    cpu: nearestStudyCpu('MLP_2Layer', 'Linear+Bias+ReLU', 0.98, 1.0),
    gpu: studyGpu('Linear+Bias', 1.5, 2, 'the study did not measure a 2-layer MLP; its Linear+Bias row is used'),
  },
  notes: [
    'BERT uses GELU in this block; the issue specifies ReLU so that tfjs\'s own fused kernel can serve wherever it is truly fused (see Linear_Bias_GELU for the GELU epilogue).',
    ...describeFusedPaths('matMulBiasRelu'),
  ],
});
