/**
 * FusebenchQKTSoftmax on tfjs-backend-wasm: softmax(q·kᵀ·scale) → [BH, S, S], one block of score rows at a time.
 * The GEMM is the backend's own and takes the route the unfused `matMul(q, transpose(k))` takes
 * (batch_mat_mul_impl.cc lines 293–300): with one head, k is transposed (as the unfused Transpose does) and
 * XNNPACK multiplies; with several heads, the backend's scalar blocked loop reads k transposed in place. Each
 * block is written straight into the output and softmaxed there by the backend's XNNPACK softmax while in cache
 * (common/wasm_heap.ts). The scale is applied to the block of q (rows·D products). The unfused sequence
 * (transpose, matMul, mul, softmax) writes and re-reads the S × S scores three more times.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { QKT_SOFTMAX } from '../names.ts';
import { asWasmBackend, heapF32, heapMatMul, heapSoftmaxInPlace, heapTranspose, SCORE_BLOCK_FLOATS, tensorData, withScratch, type HeapMatrix } from '../common/wasm_heap.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

export function qktSoftmaxWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const w = asWasmBackend(args.backend, QKT_SOFTMAX);
  const q = requireInput(args.inputs, 'q', QKT_SOFTMAX);
  const k = requireInput(args.inputs, 'k', QKT_SOFTMAX);
  const { bh, s, d } = attentionDims({ q, k }, QKT_SOFTMAX);
  const scale = attentionScale(args.attrs?.scale, d, QKT_SOFTMAX);
  const block = Math.max(1, Math.min(s, Math.floor(SCORE_BLOCK_FLOATS / s)));
  const singleHead = bh === 1;
  const out = w.makeOutput([bh, s, s], 'float32');
  const scratch = [w.makeOutput([block, d], 'float32')];
  if (singleHead) scratch.push(w.makeOutput([d, s], 'float32'));
  return withScratch(w, out, scratch, () => {
    const qOff = tensorData(w, q, QKT_SOFTMAX).memoryOffset;
    const kOff = tensorData(w, k, QKT_SOFTMAX).memoryOffset;
    const oOff = tensorData(w, out, QKT_SOFTMAX).memoryOffset;
    const [qScaled, kT] = scratch.map((t) => tensorData(w, t, QKT_SOFTMAX));
    for (let h = 0; h < bh; h++) {
      let keys: { b: HeapMatrix; transposeB: boolean };
      if (singleHead) {
        heapTranspose(w, kOff, kT.memoryOffset, s, d);
        keys = { b: { byteOffset: kT.memoryOffset, rows: d, cols: s, id: kT.id }, transposeB: false };
      } else {
        keys = { b: { byteOffset: kOff + h * s * d * 4, rows: s, cols: d }, transposeB: true };
      }
      for (let i0 = 0; i0 < s; i0 += block) {
        const rows = Math.min(block, s - i0);
        const heap = heapF32(w);
        const qb = (qOff + (h * s + i0) * d * 4) >>> 2;
        const qs = qScaled.memoryOffset >>> 2;
        for (let e = 0; e < rows * d; e++) heap[qs + e] = heap[qb + e] * scale;
        const blockOff = oOff + (h * s * s + i0 * s) * 4;
        heapMatMul(w, { byteOffset: qScaled.memoryOffset, rows, cols: d }, keys.b, { byteOffset: blockOff, rows, cols: s }, keys.transposeB);
        heapSoftmaxInPlace(w, blockOff, rows, s);
      }
    }
  });
}

export const qktSoftmaxWasmConfig: KernelConfig = { kernelName: QKT_SOFTMAX, backendName: 'wasm', kernelFunc: qktSoftmaxWasm as unknown as KernelFunc };
