/**
 * Kernels over the rows of a [rows, cols] view: reductions (Sum, Max, Mean), Softmax on the last axis
 * and LayerNorm. One block per row, one launch per call; the row is re-read from L1/L2, never from a
 * materialised intermediate.
 */
import { PRELUDE } from './prelude.ts';
import type { ElemDtype } from './elementwise.ts';

export type ReduceOp = 'sum' | 'max' | 'mean';

/** Threads per block for a row of `cols` elements: a power of two in [32, 1024]. */
export function rowThreads(cols: number): number {
  let t = 32;
  while (t < cols && t < 1024) t *= 2;
  return Math.min(t, 256);
}

/** Rows short enough to be reduced by one thread each (avoids a mostly idle block per row). */
export const THREAD_PER_ROW_MAX_COLS = 32;

/** out[r] = reduce(in[r*cols .. r*cols+cols)); params: out, in, rows, cols (both 64-bit). */
export function reduceSource(op: ReduceOp, dtype: ElemDtype, threadPerRow: boolean): { source: string; entry: string } {
  const T = dtype === 'float32' ? 'float' : 'int';
  const init = op === 'max' ? (dtype === 'float32' ? '-__int_as_float(0x7f800000)' : '(-2147483647 - 1)') : '(T)0';
  const combine = op === 'max' ? 'fb_max(acc, v)' : 'acc + v';
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
  acc = ${op === 'max' ? `fb_block_max(acc, ${init}, scratch)` : 'fb_block_sum(acc, scratch)'};
  if (threadIdx.x == 0) out[r] = ${finish};`;
  const source = `${PRELUDE}
typedef ${T} T;
extern "C" __global__ void ${entry}(T* __restrict__ out, const T* __restrict__ in, unsigned long long rows, unsigned long long cols) {${body}
}
`;
  return { source, entry };
}

/** Softmax over each row: exp(x - max) / sum. Params: out, in, cols. Grid: one block per row. */
export function softmaxSource(): { source: string; entry: string } {
  const entry = 'fb_softmax_rows';
  const source = `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ in, unsigned long long cols) {
  __shared__ float scratch[32];
  const float* x = in + (unsigned long long)blockIdx.x * cols;
  float* y = out + (unsigned long long)blockIdx.x * cols;
  float m = -__int_as_float(0x7f800000);
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) m = fb_max(m, x[c]);
  m = fb_block_max(m, -__int_as_float(0x7f800000), scratch);
  float s = 0.f;
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) s += expf(x[c] - m);
  s = fb_block_sum(s, scratch);
  const float inv = 1.f / s;
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) y[c] = expf(x[c] - m) * inv;
}
`;
  return { source, entry };
}

/**
 * LayerNorm over each row with biased variance, two-pass (mean, then squared deviations) for accuracy.
 * Params: out, x, gamma, beta, cols, epsilon.
 */
export function layerNormSource(): { source: string; entry: string } {
  const entry = 'fb_layernorm_rows';
  const source = `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ in, const float* __restrict__ gamma,
                                    const float* __restrict__ beta, unsigned long long cols, float eps) {
  __shared__ float scratch[32];
  const float* x = in + (unsigned long long)blockIdx.x * cols;
  float* y = out + (unsigned long long)blockIdx.x * cols;
  float s = 0.f;
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) s += x[c];
  const float mean = fb_block_sum(s, scratch) / (float)cols;
  float q = 0.f;
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) { float d = x[c] - mean; q += d * d; }
  const float var = fb_block_sum(q, scratch) / (float)cols;
  const float inv = 1.f / sqrtf(var + eps);
  for (unsigned long long c = threadIdx.x; c < cols; c += blockDim.x) y[c] = (x[c] - mean) * inv * gamma[c] + beta[c];
}
`;
  return { source, entry };
}
