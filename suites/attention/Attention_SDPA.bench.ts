/**
 * Scaled dot-product attention, softmax(Q·Kᵀ/√d)·V. Unfused: matMul (transposeB), scale, softmax, matMul —
 * as tfjs code writes it, materialising the S×S scores and probabilities. Fused: FusebenchSDPA, which keeps one
 * block of score rows in cache from QKᵀ through softmax to ·V. tfjs has no fused attention on any backend.
 * The study's "Full Attention (SDPA)" row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineSuite } from 'fusebench';
import { describeFusedPaths, sdpa } from '../../kernels/ops.ts';
import { studyCpu, studyGpu } from '../study.ts';
import { ATTN_STANDS_FOR, attnInputs, attnLabel, attnMagnitude, attnScale, attnSizes, sdpaCost, sdpaReference, type AttnP } from './shapes.ts';

export default defineSuite<AttnP>({
  id: 'Attention_SDPA',
  family: 'attention',
  title: 'Scaled dot-product attention',
  standsFor: ATTN_STANDS_FOR,
  sizes: attnSizes,
  label: attnLabel,
  magnitude: attnMagnitude,
  inputs: attnInputs(true),
  unfused: (t, p) => tf.matMul(tf.softmax(tf.mul(tf.matMul(t.q, t.k, false, true), attnScale(p))), t.v),
  fused: (t, p) => sdpa(t.q, t.k, t.v, attnScale(p)),
  fusedBy: 'fusebench kernel',
  cost: sdpaCost,
  reference: sdpaReference,
  predictions: {
    cpu: studyCpu('Full Attention (SDPA)', 0.6, 0.71),
    gpu: studyGpu('Attention', 3, 5),
  },
  notes: [
    'cpu kernel: per head and block of 48 query rows, tfjs-cpu\'s own blocked GEMM loop for Q·Kᵀ and for P·V with scale+softmax in between, in cache. wasm kernel: per head and block of query rows (≤ 128 KiB of scores), a generated f32x4 GEMM (kernels/common/wasm_gemm.ts) for Q·Kᵀ with the scale in its epilogue, the backend\'s XNNPACK softmax, and the same GEMM for P·V.',
    'wasm: most of the wasm speedup is the GEMM, not fusion. tfjs-backend-wasm sends every batched or transposed-B matMul to its scalar loop (batch_mat_mul_impl.cc slow_batch_matmul), so the unfused Q·Kᵀ always runs there and P·V does with several heads; the generated GEMM runs several times faster (docs/wasm-attention.md has the counts).',
    'cpu: tfjs-backend-cpu\'s Softmax is itself five passes (src/kernels/Softmax.ts lines 50–67: max, sub, exp, sum, div) and its sub and div broadcast a [rows, 1] operand through the generic path of its binary kernels (src/utils/binary_impl.ts lines 52–64: index arithmetic and two array slices per element), so the unfused side costs far more than its memory traffic; the cpu speedup measures that as much as fusion.',
    ...describeFusedPaths('sdpa'),
  ],
});
