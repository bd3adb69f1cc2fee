/**
 * softmax(Q·Kᵀ/√d), the attention weights. Unfused: transpose K, matMul, scale, softmax (4 kernels, the S×S
 * scores written and re-read three times). Fused: FusebenchQKTSoftmax, which softmaxes each block of score rows
 * in cache right after computing it. tfjs has no fused matMul+softmax on any backend.
 * The study's "QK^T+Softmax" row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { describeFusedPaths, qktSoftmax } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import {
  ATTN_STANDS_FOR, attnInputs, attnLabel, attnMagnitude, attnScale, attnSizes, qktSoftmaxCost, qktSoftmaxReference, type AttnP,
} from './shapes.ts';

export default defineSuite<AttnP>({
  id: 'QKT_Softmax',
  family: 'attention',
  title: 'softmax(Q·Kᵀ/√d)',
  standsFor: ATTN_STANDS_FOR,
  sizes: attnSizes,
  label: attnLabel,
  magnitude: attnMagnitude,
  inputs: attnInputs(false),
  unfused: (t, p) => tf.softmax(tf.mul(tf.matMul(t.q, tf.transpose(t.k, [0, 2, 1])), attnScale(p))),
  fused: (t, p) => qktSoftmax(t.q, t.k, attnScale(p)),
  fusedBy: 'fusebench kernel',
  cost: qktSoftmaxCost,
  reference: qktSoftmaxReference,
  predictions: {
    cpu: studyCpu('QK^T+Softmax', 1.05, 1.29),
    gpu: studyGpu('Attention', 3, 5, 'the table has one Attention row, not one for QKᵀ+softmax'),
  },
  notes: [
    'Includes the 1/√d scale, as attention weights do; the unfused side transposes K explicitly, as in the QKT suite.',
    'cpu kernel: tfjs-cpu\'s own blocked GEMM loop per block of 48 score rows, then scale+softmax in place. wasm kernel: a generated f32x4 GEMM (kernels/common/wasm_gemm.ts) per block of score rows, the scale in its epilogue, written into the output and softmaxed there by the backend\'s XNNPACK softmax while in cache.',
    'wasm: with several heads the unfused matMul runs tfjs-backend-wasm\'s scalar loop (slow_batch_matmul), so most of that speedup is the GEMM; with one head it runs XNNPACK, and the speedup is the GEMM being a little faster plus the mul and softmax passes over S × S that fusion removes (docs/wasm-attention.md).',
    'cpu: tfjs-backend-cpu\'s Softmax is itself five passes (src/kernels/Softmax.ts lines 50–67: max, sub, exp, sum, div) and its sub and div broadcast a [rows, 1] operand through the generic path of its binary kernels (src/utils/binary_impl.ts lines 52–64: index arithmetic and two array slices per element), so the unfused side costs far more than its memory traffic; the cpu speedup measures that as much as fusion.',
    ...describeFusedPaths('qktSoftmax'),
  ],
});
