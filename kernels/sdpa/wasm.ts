/**
 * FusebenchSDPA on tfjs-backend-wasm: softmax(q·kᵀ·scale)·v, one block of query rows at a time.
 *
 * Every heavy step is the backend's own code, called on views of the tensors (common/wasm_heap.ts), and each
 * GEMM takes the same route the unfused `matMul(q, k, false, true)` and `matMul(p, v)` take in
 * batch_mat_mul_impl.cc (lines 293–300): q·kᵀ is always its scalar blocked loop (transposeB); p·v is XNNPACK
 * when there is one head (batch 1, weights v: the same cached operator the unfused matMul uses) and the scalar
 * loop otherwise. The softmax is its XNNPACK softmax. What fusion changes is where the scores live: one block
 * (≤ 128 KiB) at a time, softmaxed and multiplied by v while in cache, instead of S × S tensors written and
 * re-read by separate matMul, mul, softmax and matMul kernels.
 * Two small copies make that possible: the scale is applied to the block of q (rows·D products instead of
 * rows·S), and with several heads v is transposed per head (S·D copies against 2·S²·D multiply-adds) because
 * the scalar loop is reached through transposeB.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SDPA } from '../names.ts';
import { asWasmBackend, heapF32, heapMatMul, heapSoftmaxInPlace, heapTranspose, SCORE_BLOCK_FLOATS, tensorData, withScratch, type HeapMatrix } from '../common/wasm_heap.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

export function sdpaWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const w = asWasmBackend(args.backend, SDPA);
  const q = requireInput(args.inputs, 'q', SDPA);
  const k = requireInput(args.inputs, 'k', SDPA);
  const v = requireInput(args.inputs, 'v', SDPA);
  const { bh, s, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(args.attrs?.scale, d, SDPA);
  const block = Math.max(1, Math.min(s, Math.floor(SCORE_BLOCK_FLOATS / s)));
  const singleHead = bh === 1;

  const out = w.makeOutput([bh, s, d], 'float32');
  const scratch = [w.makeOutput([block, s], 'float32'), w.makeOutput([block, d], 'float32')];
  if (!singleHead) scratch.push(w.makeOutput([d, s], 'float32'));
  return withScratch(w, out, scratch, () => {
    const qOff = tensorData(w, q, SDPA).memoryOffset;
    const kOff = tensorData(w, k, SDPA).memoryOffset;
    const vData = tensorData(w, v, SDPA);
    const oOff = tensorData(w, out, SDPA).memoryOffset;
    const [scores, qScaled, vT] = scratch.map((t) => tensorData(w, t, SDPA));
    const headBytes = s * d * 4;
    for (let h = 0; h < bh; h++) {
      // p·v: XNNPACK on v itself for one head (as the unfused matMul), else the scalar loop on vᵀ.
      let pv: { b: HeapMatrix; transposeB: boolean };
      if (singleHead) {
        pv = { b: { byteOffset: vData.memoryOffset, rows: s, cols: d, id: vData.id }, transposeB: false };
      } else {
        heapTranspose(w, vData.memoryOffset + h * headBytes, vT.memoryOffset, s, d);
        pv = { b: { byteOffset: vT.memoryOffset, rows: d, cols: s, id: vT.id }, transposeB: true };
      }
      for (let i0 = 0; i0 < s; i0 += block) {
        const rows = Math.min(block, s - i0);
        const heap = heapF32(w); // calls into the module may grow memory and replace the buffer
        const qb = (qOff + h * headBytes + i0 * d * 4) >>> 2;
        const qs = qScaled.memoryOffset >>> 2;
        for (let e = 0; e < rows * d; e++) heap[qs + e] = heap[qb + e] * scale;
        const scoreView = { byteOffset: scores.memoryOffset, rows, cols: s };
        heapMatMul(w, { byteOffset: qScaled.memoryOffset, rows, cols: d }, { byteOffset: kOff + h * headBytes, rows: s, cols: d }, scoreView, true);
        heapSoftmaxInPlace(w, scores.memoryOffset, rows, s);
        heapMatMul(w, scoreView, pv.b, { byteOffset: oOff + h * headBytes + i0 * d * 4, rows, cols: d }, pv.transposeB);
      }
    }
  });
}

export const sdpaWasmConfig: KernelConfig = { kernelName: SDPA, backendName: 'wasm', kernelFunc: sdpaWasm as unknown as KernelFunc };
