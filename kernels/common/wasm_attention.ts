/**
 * What the wasm attention kernels (sdpa, qkt_softmax) share: the block of query rows whose scores stay in cache,
 * K packed into the 8-column panels the generated GEMM reads (common/wasm_gemm.ts), and one block of attention
 * weights softmax(scale · q_block · kᵀ) computed into a destination: GEMM with the scale in its epilogue, then the
 * backend's own XNNPACK softmax on the block while it is in cache (common/wasm_heap.ts heapSoftmaxInPlace).
 */
import { heapF32, heapSoftmaxInPlace, type WasmBackendLike } from './wasm_heap.ts';
import type { SimdKernels } from './wasm_simd.ts';

/** Floats per block of attention scores kept in cache: 128 KiB. */
export const SCORE_BLOCK_FLOATS = 32 * 1024;

/** Columns per GEMM panel. */
export const PANEL = 8;

export const panelsFor = (n: number): number => Math.ceil(n / PANEL);

/** Query rows per block: the block's scores (rows × S padded to panels) within SCORE_BLOCK_FLOATS, a multiple of 4 rows. */
export function blockRows(s: number): number {
  if (s === 0) return 4; // no rows to block
  const rows = Math.floor(SCORE_BLOCK_FLOATS / (panelsFor(s) * PANEL));
  return Math.max(4, Math.min(s, rows - (rows % 4)));
}

/**
 * Packs B[kk, n] = src[kk·sK + n·sN] (float indices into the heap) for kk < k, n < n into panels of 8 columns at
 * dst: panel p, row kk, lane l at dst + (p·k + kk)·8 + l; columns past n are zero.
 */
export function packPanels(heap: Float32Array, src: number, sK: number, sN: number, k: number, n: number, dst: number): void {
  const panels = panelsFor(n);
  for (let p = 0; p < panels; p++) {
    const lanes = Math.min(PANEL, n - p * PANEL);
    for (let kk = 0; kk < k; kk++) {
      const o = dst + (p * k + kk) * PANEL;
      const from = src + kk * sK + p * PANEL * sN;
      for (let l = 0; l < lanes; l++) heap[o + l] = heap[from + l * sN];
      for (let l = lanes; l < PANEL; l++) heap[o + l] = 0;
    }
  }
}

/** One head's keys packed as the B of q·kᵀ: B[dd, j] = k[j, dd], S columns in panels. Floats needed: panels(S)·8·D. */
export function packKeys(w: WasmBackendLike, kByteOffset: number, s: number, d: number, dstByteOffset: number): void {
  packPanels(heapF32(w), kByteOffset >>> 2, 1, d, d, s, dstByteOffset >>> 2);
}

/**
 * dst (rows × S, contiguous) = softmax(scale · q[rows × D] · kᵀ) for one block of query rows, keys packed by
 * packKeys. The GEMM writes whole panels, so when S is not a multiple of 8 it writes rows of panels(S)·8 floats
 * into `padded` (which may be dst itself: rows move down in place) and the rows are then compacted into dst.
 */
export function scoreBlock(
  w: WasmBackendLike, k: SimdKernels, qByteOffset: number, keys: number, rows: number, s: number, d: number, scale: number, dst: number, padded: number,
): void {
  const sPad = panelsFor(s) * PANEL;
  const target = sPad === s ? dst : padded;
  k.gemm(qByteOffset, 4 * d, keys, 4 * d * PANEL, 4 * PANEL, target, 4 * sPad, rows, sPad / PANEL, d, scale);
  if (sPad !== s) {
    const heap = heapF32(w);
    const from = target >>> 2, to = dst >>> 2;
    for (let r = 0; r < rows; r++) heap.copyWithin(to + r * s, from + r * sPad, from + r * sPad + s);
  }
  heapSoftmaxInPlace(w, dst, rows, s);
}
