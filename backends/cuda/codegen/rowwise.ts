/**
 * Kernels over the rows of a [rows, cols] view: reductions (Sum, Max, Mean) and Softmax on the last axis.
 * One launch per call; the row is re-read from L1/L2, never from a materialised intermediate.
 */
import { PRELUDE } from './prelude.ts';
import type { ElemDtype } from './elementwise.ts';

export type ReduceOp = 'sum' | 'max' | 'mean' | 'min' | 'prod';

/** Threads per block for a row of `cols` elements: a power of two in [32, 1024]. */
export function rowThreads(cols: number): number {
  let t = 32;
  while (t < cols && t < 1024) t *= 2;
  return Math.min(t, 256);
}

/** Rows short enough to be reduced by one thread each (avoids a mostly idle block per row). */
export const THREAD_PER_ROW_MAX_COLS = 32;

const reduceSources = new Map<string, { source: string; entry: string }>();

/** out[r] = reduce(in[r*cols .. r*cols+cols)); params: out, in, rows, cols (both 64-bit). Built once per signature. */
export function reduceSource(op: ReduceOp, dtype: ElemDtype, threadPerRow: boolean): { source: string; entry: string } {
  const key = `${op}|${dtype}|${threadPerRow}`;
  let s = reduceSources.get(key);
  if (!s) reduceSources.set(key, (s = buildReduceSource(op, dtype, threadPerRow)));
  return s;
}

function buildReduceSource(op: ReduceOp, dtype: ElemDtype, threadPerRow: boolean): { source: string; entry: string } {
  const T = dtype === 'float32' ? 'float' : 'int';
  const init = op === 'max' ? (dtype === 'float32' ? '-__int_as_float(0x7f800000)' : '(-2147483647 - 1)')
    : op === 'min' ? (dtype === 'float32' ? '__int_as_float(0x7f800000)' : '2147483647') : op === 'prod' ? '(T)1' : '(T)0';
  const combine = op === 'max' ? 'fb_max(acc, v)' : op === 'min' ? 'fb_min(acc, v)' : op === 'prod' ? 'acc * v' : 'acc + v';
  const finish = op === 'mean' ? (dtype === 'float32' ? 'acc / (float)cols' : '(int)(acc / (long long)cols)') : 'acc';
  const entry = `fb_reduce_${op}_${dtype}${threadPerRow ? '_tpr' : ''}`;
  const body = threadPerRow
    ? `
  unsigned long long r = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const T* p = in + r * cols;
  T acc = ${init};
  for (unsigned long long c = 0; c < cols; ++c) { T v = p[c]; acc = ${combine}; }
  out[r] = ${finish};`
    : `
  __shared__ T scratch[32];
  unsigned long long r = blockIdx.x;
  const T* p = in + r * cols;
  T acc = ${init};
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) { T v = p[c]; acc = ${combine}; }
  acc = ${op === 'max' ? `fb_block_max(acc, ${init}, scratch)` : op === 'min' ? `fb_block_min(acc, ${init}, scratch)` : op === 'prod' ? 'fb_block_prod(acc, scratch)' : 'fb_block_sum(acc, scratch)'};
  if (threadIdx.x == 0) out[r] = ${finish};`;
  const source = `${PRELUDE}
typedef ${T} T;
extern "C" __global__ void ${entry}(T* __restrict__ out, const T* __restrict__ in, unsigned long long rows, unsigned long long cols) {${body}
}
`;
  return { source, entry };
}

/**
 * ArgMax / ArgMin over each row, with tfjs-backend-cpu's sequential rule: the first index whose value is strictly
 * greater (smaller) than every earlier one, NaN never winning; a row whose first value is NaN gives 0 (cpu starts
 * from it and nothing compares greater). One block per row: each thread keeps its best (value, index), then a
 * shared-memory tree where the better value wins and ties go to the lower index. Params: out (int32), in, rows, cols.
 */
export function argReduceSource(op: 'max' | 'min', dtype: ElemDtype): { source: string; entry: string } {
  const T = dtype === 'float32' ? 'float' : 'int';
  const better = op === 'max' ? '>' : '<';
  const entry = `fb_arg${op}_${dtype}`;
  const source = `${PRELUDE}
typedef ${T} T;
extern "C" __global__ void ${entry}(int* __restrict__ out, const T* __restrict__ in, unsigned long long rows, unsigned long long cols) {
  __shared__ T sv[256];
  __shared__ long long si[256];
  const T* p = in + (unsigned long long)blockIdx.x * cols;
  T best = 0; long long bi = -1;
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) {
    const T v = p[c];
    if (v != v) continue;
    if (bi < 0 || v ${better} best) { best = v; bi = (long long)c; }
  }
  sv[threadIdx.x] = best; si[threadIdx.x] = bi;
  __syncthreads();
  for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      const T ov = sv[threadIdx.x + s]; const long long oi = si[threadIdx.x + s];
      const long long mi = si[threadIdx.x];
      if (oi >= 0 && (mi < 0 || ov ${better} sv[threadIdx.x] || (ov == sv[threadIdx.x] && oi < mi))) { sv[threadIdx.x] = ov; si[threadIdx.x] = oi; }
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = (p[0] != p[0] || si[0] < 0) ? 0 : (int)si[0];
}
`;
  return { source, entry };
}

/** Values per lane of the warp-per-row softmax: rows of up to 32·v columns live in registers. */
export const SOFTMAX_WARP_VALUES = [1, 2, 4, 8, 16, 32] as const;
export const SOFTMAX_WARP_MAX_COLS = 32 * 32;
/** Rows cached in (default, non-opt-in) dynamic shared memory by the block-per-row variant. */
export const SOFTMAX_SMEM_MAX_COLS = 12 * 1024;
export const SOFTMAX_WARP_ROWS_PER_BLOCK = 4;

export type SoftmaxVariant = { readonly kind: 'warp'; readonly values: (typeof SOFTMAX_WARP_VALUES)[number] } | { readonly kind: 'smem' } | { readonly kind: 'global' };

/** The softmax variant for rows of `cols` elements: registers, then shared memory, then re-reads from global. */
export function softmaxVariant(cols: number): SoftmaxVariant {
  if (cols <= SOFTMAX_WARP_MAX_COLS) {
    const values = SOFTMAX_WARP_VALUES.find((v) => 32 * v >= cols)!;
    return { kind: 'warp', values };
  }
  return cols <= SOFTMAX_SMEM_MAX_COLS ? { kind: 'smem' } : { kind: 'global' };
}

/**
 * softmax(scale·row) over each row of a [rows, cols] view: exp(x·scale − max) / sum, max-subtracted as tfjs's is.
 * `out` may equal `in` (no __restrict__): each element is read before its own thread writes it, so the
 * attention kernels softmax the GEMM's scores in place. Each row is read from global memory once and
 * written once, except in the 'global' variant (rows longer than SOFTMAX_SMEM_MAX_COLS), which re-reads it.
 * Params: out, in, rows (64-bit), cols (int), scale. Grid: warp → ceil(rows / 4) blocks of 128; smem/global →
 * one block per row (dynamic shared memory cols·4 bytes for smem).
 */
export function softmaxSource(v: SoftmaxVariant): { source: string; entry: string } {
  const NEG_INF = '(-__int_as_float(0x7f800000))';
  if (v.kind === 'warp') {
    const entry = `fb_softmax_rows_w${v.values}`;
    const source = `${PRELUDE}
#define VPT ${v.values}
extern "C" __global__ void __launch_bounds__(${32 * SOFTMAX_WARP_ROWS_PER_BLOCK}) ${entry}(float* out, const float* in, unsigned long long rows, int cols, float scale) {
  const unsigned long long row = (unsigned long long)blockIdx.x * ${SOFTMAX_WARP_ROWS_PER_BLOCK} + (threadIdx.x >> 5);
  if (row >= rows) return;
  const int lane = threadIdx.x & 31;
  const float* x = in + row * (unsigned long long)cols;
  float* y = out + row * (unsigned long long)cols;
  float v[VPT];
  float m = ${NEG_INF};
#pragma unroll
  for (int i = 0; i < VPT; ++i) {
    const int c = lane + i * 32;
    v[i] = c < cols ? x[c] * scale : ${NEG_INF};
    if (c < cols) m = fb_max(m, v[i]);
  }
  m = fb_warp_max(m);
  float s = 0.f;
#pragma unroll
  for (int i = 0; i < VPT; ++i) {
    const int c = lane + i * 32;
    v[i] = c < cols ? expf(v[i] - m) : 0.f;
    s += v[i];
  }
  s = fb_warp_sum(s);
  const float inv = 1.f / s;
#pragma unroll
  for (int i = 0; i < VPT; ++i) {
    const int c = lane + i * 32;
    if (c < cols) y[c] = v[i] * inv;
  }
}
`;
    return { source, entry };
  }
  const smem = v.kind === 'smem';
  const entry = `fb_softmax_rows_${v.kind}`;
  const source = `${PRELUDE}
extern "C" __global__ void ${entry}(float* out, const float* in, unsigned long long rows, int cols, float scale) {
  __shared__ float scratch[32];
  ${smem ? 'extern __shared__ float cache[];' : ''}
  const float* x = in + (unsigned long long)blockIdx.x * cols;
  float* y = out + (unsigned long long)blockIdx.x * cols;
  float m = ${NEG_INF};
  for (int c = threadIdx.x; c < cols; c += blockDim.x) { const float t = x[c] * scale; ${smem ? 'cache[c] = t; ' : ''}m = fb_max(m, t); }
  m = fb_block_max(m, ${NEG_INF}, scratch);
  float s = 0.f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) { const float e = expf(${smem ? 'cache[c]' : 'x[c] * scale'} - m); ${smem ? 'cache[c] = e; ' : ''}s += e; }
  s = fb_block_sum(s, scratch);
  const float inv = 1.f / s;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) y[c] = ${smem ? 'cache[c]' : 'expf(x[c] * scale - m)'} * inv;
}
`;
  return { source, entry };
}
