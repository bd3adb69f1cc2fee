/**
 * Q·Kᵀ, the attention scores. Unfused: an explicit transpose of K, then matMul. Fused: matMul with transposeB
 * through tfjs's fused matMul path, which reads K transposed in place (one kernel, no Kᵀ tensor).
 * The study's "QK^T (attention)" row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { describeFusedPaths, qkT } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import { ATTN_STANDS_FOR, attnInputs, attnLabel, attnMagnitude, attnSizes, qktCost, qktReference, type AttnP } from './shapes.ts';

export default defineSuite<AttnP>({
  id: 'QKT',
  family: 'attention',
  title: 'Q·Kᵀ (transpose fused into matMul)',
  standsFor: ATTN_STANDS_FOR,
  sizes: attnSizes,
  label: attnLabel,
  magnitude: attnMagnitude,
  inputs: attnInputs(false),
  unfused: (t) => tf.matMul(t.q, tf.transpose(t.k, [0, 2, 1])),
  fused: (t) => qkT(t.q, t.k),
  fusedBy: 'tfjs fused kernel',
  cost: qktCost,
  reference: qktReference,
  predictions: {
    cpu: studyCpu('QK^T (attention)', 1.07, 1.28),
    gpu: studyGpu('Attention', 3, 5, 'the table has one Attention row, not one for QKᵀ alone'),
  },
  notes: [
    'wasm: tfjs-backend-wasm uses XNNPACK only for a batch-1 matMul without transposes (batch_mat_mul_impl.cc lines 293–300); everything else runs its scalar blocked loop (slow_batch_matmul). With several heads both variants take that loop and the fused one saves the Transpose; with one head the unfused matMul takes XNNPACK while transposeB takes the scalar loop, so tfjs\'s fused path is the slower one there.',
    ...describeFusedPaths('matMulTransposeB'),
  ],
});
