/**
 * Flash-style scaled dot-product attention: out = softmax(q·kᵀ·scale)·v per head, with the online
 * softmax over key tiles held in shared memory. No score matrix ever exists in device memory: each
 * thread owns one query row (q and the accumulator in registers), each block walks all keys in tiles.
 */
import { PRELUDE } from './prelude.ts';

export const SDPA_ROWS_PER_BLOCK = 64;
export const SDPA_MAX_HEAD_DIM = 256;

/** Key-tile rows for a head dimension, keeping K and V tiles within 32 KiB of static shared memory. */
export function sdpaTile(d: number): number {
  return d <= 64 ? 64 : d <= 128 ? 32 : 16;
}

/** Params: out, q, k, v, seq (S), scale. Grid: (ceil(S / 64), BH). Block: 64. */
export function sdpaSource(d: number): { source: string; entry: string } {
  if (!Number.isInteger(d) || d < 1 || d > SDPA_MAX_HEAD_DIM) throw new Error(`FusebenchSDPA on cuda: head dim ${d} outside 1..${SDPA_MAX_HEAD_DIM}`);
  const bc = sdpaTile(d);
  const entry = `fb_sdpa_d${d}`;
  const unrollKeys = d <= 64 ? '#pragma unroll' : '#pragma unroll 1';
  const source = `${PRELUDE}
#define D ${d}
#define BC ${bc}
extern "C" __global__ void __launch_bounds__(${SDPA_ROWS_PER_BLOCK}) ${entry}(float* __restrict__ out, const float* __restrict__ q,
    const float* __restrict__ k, const float* __restrict__ v, int seq, float scale) {
  __shared__ float ks[BC][D];
  __shared__ float vs[BC][D];
  const unsigned long long head = (unsigned long long)blockIdx.y * seq * D;
  const int row = blockIdx.x * ${SDPA_ROWS_PER_BLOCK} + threadIdx.x;
  const bool active = row < seq;
  float qr[D];
  float acc[D];
#pragma unroll
  for (int j = 0; j < D; ++j) { qr[j] = active ? q[head + (unsigned long long)row * D + j] * scale : 0.f; acc[j] = 0.f; }
  float m = -__int_as_float(0x7f800000), l = 0.f;
  for (int k0 = 0; k0 < seq; k0 += BC) {
    const int rows = min(BC, seq - k0);
    __syncthreads();
    for (int t = threadIdx.x; t < rows * D; t += blockDim.x) {
      ks[t / D][t % D] = k[head + (unsigned long long)k0 * D + t];
      vs[t / D][t % D] = v[head + (unsigned long long)k0 * D + t];
    }
    __syncthreads();
    float s[BC];
    float tmax = -__int_as_float(0x7f800000);
${unrollKeys}
    for (int c = 0; c < BC; ++c) {
      float dot = 0.f;
#pragma unroll
      for (int j = 0; j < D; ++j) dot += qr[j] * ks[c][j];
      s[c] = c < rows ? dot : -__int_as_float(0x7f800000);
      tmax = fmaxf(tmax, s[c]);
    }
    const float mnew = fmaxf(m, tmax);
    const float corr = expf(m - mnew);
    l *= corr;
#pragma unroll
    for (int j = 0; j < D; ++j) acc[j] *= corr;
${unrollKeys}
    for (int c = 0; c < BC; ++c) {
      const float p = c < rows ? expf(s[c] - mnew) : 0.f;
      l += p;
#pragma unroll
      for (int j = 0; j < D; ++j) acc[j] += p * vs[c][j];
    }
    m = mnew;
  }
  if (!active) return;
  const float inv = 1.f / l;
#pragma unroll
  for (int j = 0; j < D; ++j) out[head + (unsigned long long)row * D + j] = acc[j] * inv;
}
`;
  return { source, entry };
}
