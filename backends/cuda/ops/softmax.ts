/** Row softmax launches shared by tfjs's Softmax and the attention kernels: one launch, in place or not. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { softmaxSource, softmaxVariant, SOFTMAX_WARP_ROWS_PER_BLOCK } from '../codegen/rowwise.ts';
import { arg, type Kernel } from '../runtime/launcher.ts';

const kernels = new Map<string, Kernel>();
/** Threads of the block-per-row variants (rows longer than 1024 columns). */
const SOFTMAX_BLOCK_THREADS = 256;

/** out[r, :] = softmax(scale · in[r, :]) over a [rows, cols] view; `out` may be `input` (in place). */
export function runSoftmaxRows(b: CudaBackend, out: TensorInfo, input: TensorInfo, rows: number, cols: number, scale = 1): void {
  if (rows === 0 || cols === 0) return;
  if (cols > 2 ** 31 - 1) throw new Error(`not implemented on cuda: softmax over rows of ${cols} elements (max 2^31 − 1)`);
  const v = softmaxVariant(cols);
  const key = v.kind === 'warp' ? `w${v.values}` : v.kind;
  let k = kernels.get(key);
  if (!k) {
    const { source, entry } = softmaxSource(v);
    k = b.rt.compiler.kernel(source, entry);
    kernels.set(key, k);
  }
  const args = [arg.ptr(b.ptr(out)), arg.ptr(b.ptr(input)), arg.u64(rows), arg.i32(cols), arg.f32(scale)];
  if (v.kind === 'warp') b.rt.launcher.launch(k, [Math.ceil(rows / SOFTMAX_WARP_ROWS_PER_BLOCK)], [32 * SOFTMAX_WARP_ROWS_PER_BLOCK], args);
  else b.rt.launcher.launch(k, [rows], [SOFTMAX_BLOCK_THREADS], args, v.kind === 'smem' ? cols * 4 : 0);
}
