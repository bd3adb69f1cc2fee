/**
 * FusebenchSDPA on tfjs-backend-wasm: softmax(q·kᵀ·scale)·v, one block of query rows at a time.
 *
 * Per head, k is packed once into 8-column panels (S·D floats moved, against 4·S²·D FLOPs), then for each block of
 * query rows: scores = scale·q_block·kᵀ by the generated f32x4 GEMM (common/wasm_gemm.ts, the scale in its
 * epilogue), the backend's own XNNPACK softmax on that block while it is in cache, and out_block = p·v by the same
 * GEMM reading v in place (its rows are the panels' rows when D is a multiple of 8; otherwise v is packed too and
 * the block goes through a padded scratch). No S × S tensor is ever written.
 *
 * Why not the backend's matmul, as the unfused ops use: tfjs-backend-wasm sends every batched or transposed-B
 * matMul to its scalar blocked loop (batch_mat_mul_impl.cc `slow_batch_matmul`, about 2 GFLOP/s here); only a
 * batch-1 matMul without transposes reaches XNNPACK. q·kᵀ is transposed-B and attention has many heads, so the
 * unfused sequence spends most of its time in that loop; the generated GEMM runs at XNNPACK's rate (docs/wasm-attention.md).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SDPA } from '../names.ts';
import { asWasmBackend, heapF32, tensorData, withScratch } from '../common/wasm_heap.ts';
import { simdKernelsFor } from '../common/wasm_simd.ts';
import { blockRows, packKeys, packPanels, PANEL, panelsFor, scoreBlock } from '../common/wasm_attention.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

export function sdpaWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const w = asWasmBackend(args.backend, SDPA);
  const simd = simdKernelsFor(args.backend, SDPA);
  const q = requireInput(args.inputs, 'q', SDPA);
  const k = requireInput(args.inputs, 'k', SDPA);
  const v = requireInput(args.inputs, 'v', SDPA);
  const { bh, s, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(args.attrs?.scale, d, SDPA);
  const block = blockRows(s);
  const sPad = panelsFor(s) * PANEL;
  const dPad = panelsFor(d) * PANEL;
  const vInPlace = dPad === d;

  const out = w.makeOutput([bh, s, d], 'float32');
  const scratch = [w.makeOutput([sPad, d], 'float32'), w.makeOutput([block, sPad], 'float32')];
  if (!vInPlace) scratch.push(w.makeOutput([s, dPad], 'float32'), w.makeOutput([block, dPad], 'float32'));
  return withScratch(w, out, scratch, () => {
    const qOff = tensorData(w, q, SDPA).memoryOffset;
    const kOff = tensorData(w, k, SDPA).memoryOffset;
    const vOff = tensorData(w, v, SDPA).memoryOffset;
    const oOff = tensorData(w, out, SDPA).memoryOffset;
    const [keys, scores, values, outPad] = scratch.map((t) => tensorData(w, t, SDPA).memoryOffset);
    const headBytes = 4 * s * d;
    for (let h = 0; h < bh; h++) {
      const head = h * headBytes;
      packKeys(w, kOff + head, s, d, keys);
      // p·v reads B rows of 8 floats: v's own rows (stride D) when D is a multiple of 8, else v packed into panels.
      const pv = vInPlace
        ? { b: vOff + head, bPanel: 4 * PANEL, bRow: 4 * d }
        : { b: values, bPanel: 4 * PANEL * s, bRow: 4 * PANEL };
      if (!vInPlace) packPanels(heapF32(w), (vOff + head) >>> 2, d, 1, s, d, values >>> 2);
      for (let i0 = 0; i0 < s; i0 += block) {
        const rows = Math.min(block, s - i0);
        scoreBlock(w, simd, qOff + head + 4 * i0 * d, keys, rows, s, d, scale, scores, scores);
        const dst = oOff + head + 4 * i0 * d;
        simd.gemm(scores, 4 * s, pv.b, pv.bPanel, pv.bRow, vInPlace ? dst : outPad, 4 * dPad, rows, dPad / PANEL, s, 1);
        if (!vInPlace) {
          const heap = heapF32(w);
          for (let r = 0; r < rows; r++) heap.copyWithin((dst >>> 2) + r * d, (outPad >>> 2) + r * dPad, (outPad >>> 2) + r * dPad + d);
        }
      }
    }
  });
}

export const sdpaWasmConfig: KernelConfig = { kernelName: SDPA, backendName: 'wasm', kernelFunc: sdpaWasm as unknown as KernelFunc };
