/**
 * TopK as a bitonic sort of each row in device scratch memory, then the first k taken. The order is
 * tfjs-backend-cpu's: larger value first, equal values by lower index (its comparePair); NaN after every number,
 * and the padding up to a power of two after everything. Three entries (one source per dtype):
 *   init: keys[r, j] = (x[r, j], j) for j < n, padding for n ≤ j < P.   Params: vals, idx, x, rows, n, P.
 *   step: one compare-exchange pass (j, k) of the bitonic network.       Params: vals, idx, rows, P, j, k.
 *   take: out[r, t] = vals[r, t], outIdx[r, t] = idx[r, t] for t < k.   Params: out, outIdx, vals, idx, rows, P, k.
 */
import { PRELUDE } from './prelude.ts';
import type { ElemDtype } from './elementwise.ts';

export function topkSource(dtype: ElemDtype): { source: string; init: string; step: string; take: string } {
  const T = dtype === 'float32' ? 'float' : 'int';
  const init = `fb_topk_init_${dtype}`, step = `fb_topk_step_${dtype}`, take = `fb_topk_take_${dtype}`;
  const source = `${PRELUDE}
typedef ${T} T;
#define FB_GRID(n) for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (unsigned long long)gridDim.x * blockDim.x)
/* a before b: not padding before padding, a number before NaN, the larger value, then the lower index. */
__device__ __forceinline__ bool fb_topk_before(T av, int ai, T bv, int bi, int n) {
  const bool ap = ai >= n, bp = bi >= n;
  if (ap != bp) return bp;
  const bool an = av != av, bn = bv != bv;
  if (an != bn) return bn;
  if (!an && av != bv) return av > bv;
  return ai < bi;
}
extern "C" __global__ void ${init}(T* __restrict__ vals, int* __restrict__ idx, const T* __restrict__ x, unsigned long long rows, long long n, long long P) {
  FB_GRID(rows * (unsigned long long)P) {
    const long long r = (long long)(i / (unsigned long long)P), j = (long long)(i % (unsigned long long)P);
    vals[i] = j < n ? x[r * n + j] : (T)0;
    idx[i] = (int)j;
  }
}
extern "C" __global__ void ${step}(T* __restrict__ vals, int* __restrict__ idx, unsigned long long rows, long long P, long long n, long long j, long long k) {
  FB_GRID(rows * (unsigned long long)P) {
    const long long r = (long long)(i / (unsigned long long)P), a = (long long)(i % (unsigned long long)P);
    const long long b = a ^ j;
    if (b <= a) continue;
    const unsigned long long pa = r * P + a, pb = r * P + b;
    const T va = vals[pa], vb = vals[pb];
    const int ia = idx[pa], ib = idx[pb];
    /* Within a block of size k, the first half of the blocks sorts 'before' first, the second half reversed. */
    const bool forward = (a & k) == 0;
    const bool bFirst = fb_topk_before(vb, ib, va, ia, (int)n);
    if (forward ? bFirst : !bFirst) { vals[pa] = vb; vals[pb] = va; idx[pa] = ib; idx[pb] = ia; }
  }
}
extern "C" __global__ void ${take}(T* __restrict__ out, int* __restrict__ outIdx, const T* __restrict__ vals, const int* __restrict__ idx,
    unsigned long long rows, long long P, long long k) {
  FB_GRID(rows * (unsigned long long)k) {
    const long long r = (long long)(i / (unsigned long long)k), t = (long long)(i % (unsigned long long)k);
    out[i] = vals[r * P + t];
    outIdx[i] = idx[r * P + t];
  }
}
`;
  return { source, init, step, take };
}
