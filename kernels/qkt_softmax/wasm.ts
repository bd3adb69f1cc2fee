/**
 * FusebenchQKTSoftmax on tfjs-backend-wasm: softmax(q·kᵀ·scale) → [BH, S, S], one block of score rows at a time.
 * Per head, k is packed once into 8-column panels (S·D floats moved, against 2·S²·D FLOPs); each block of rows is
 * computed by the generated f32x4 GEMM (common/wasm_gemm.ts, the scale in its epilogue) straight into the output
 * and softmaxed there by the backend's XNNPACK softmax while in cache (common/wasm_attention.ts scoreBlock). When
 * S is not a multiple of 8 the GEMM's padded rows go through a scratch block first.
 * The unfused sequence (transpose, matMul, mul, softmax) writes and re-reads the S × S scores three more times,
 * and its matMul runs the backend's scalar loop with several heads (XNNPACK with one); see sdpa/wasm.ts.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { QKT_SOFTMAX } from '../names.ts';
import { asWasmBackend, tensorData, withScratch } from '../common/wasm_heap.ts';
import { simdKernelsFor } from '../common/wasm_simd.ts';
import { blockRows, packKeys, PANEL, panelsFor, scoreBlock } from '../common/wasm_attention.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

export function qktSoftmaxWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const w = asWasmBackend(args.backend, QKT_SOFTMAX);
  const simd = simdKernelsFor(args.backend, QKT_SOFTMAX);
  const q = requireInput(args.inputs, 'q', QKT_SOFTMAX);
  const k = requireInput(args.inputs, 'k', QKT_SOFTMAX);
  const { bh, s, d } = attentionDims({ q, k }, QKT_SOFTMAX);
  const scale = attentionScale(args.attrs?.scale, d, QKT_SOFTMAX);
  const block = blockRows(s);
  const sPad = panelsFor(s) * PANEL;
  const out = w.makeOutput([bh, s, s], 'float32');
  const scratch = [w.makeOutput([sPad, d], 'float32')];
  if (sPad !== s) scratch.push(w.makeOutput([block, sPad], 'float32'));
  return withScratch(w, out, scratch, () => {
    const qOff = tensorData(w, q, QKT_SOFTMAX).memoryOffset;
    const kOff = tensorData(w, k, QKT_SOFTMAX).memoryOffset;
    const oOff = tensorData(w, out, QKT_SOFTMAX).memoryOffset;
    const [keys, padded] = scratch.map((t) => tensorData(w, t, QKT_SOFTMAX).memoryOffset);
    for (let h = 0; h < bh; h++) {
      packKeys(w, kOff + 4 * h * s * d, s, d, keys);
      for (let i0 = 0; i0 < s; i0 += block) {
        const rows = Math.min(block, s - i0);
        scoreBlock(w, simd, qOff + 4 * (h * s + i0) * d, keys, rows, s, d, scale, oOff + 4 * (h * s * s + i0 * s), padded ?? 0);
      }
    }
  });
}

export const qktSoftmaxWasmConfig: KernelConfig = { kernelName: QKT_SOFTMAX, backendName: 'wasm', kernelFunc: qktSoftmaxWasm as unknown as KernelFunc };
