/**
 * The one copy-by-coordinates kernel behind the shape kernels (Tile, Reverse, PadV2, MirrorPad, StridedSlice,
 * Concat, Pack, Unpack, SplitV, Diag, DepthToSpace, SpaceToBatchND, BatchToSpaceND, …): every output element of
 * an iteration space of rank ≤ 8 reads one input element, chosen per axis, or a constant. Values move as 32-bit
 * patterns, so one kernel serves float32, int32 and bool.
 *
 * Per axis d, with c the element's coordinate along d: s = begin[d] + c·step[d], then by mode[d]:
 *   0 affine: s as is (the caller guarantees 0 ≤ s < inDim[d]);
 *   1 modulo: s mod inDim[d] (Tile);
 *   2 constant: s outside [0, inDim[d]) gives the pad value (PadV2);
 *   3 reflect, 4 symmetric: s mirrored back into range as MirrorPad's modes (tfjs-backend-cpu's formulas);
 * and the source element is in[Σ s·inStride[d]]. The destination is out[Σ c·outStride[d]] (a region of a larger
 * tensor, for Concat and Diag). Params: out, in, n, rank, dims, begin, step, inDim, mode, inStride, outStride, pad bits.
 */
import { PRELUDE } from './prelude.ts';

export const INDEX_MAP_MAX_RANK = 8;
export const INDEX_MODE = { affine: 0, modulo: 1, constant: 2, reflect: 3, symmetric: 4 } as const;

export function indexMapSource(): { source: string; entry: string } {
  const entry = 'fb_index_map';
  const source = `${PRELUDE}
struct I8 { int d[8]; };
struct L8 { long long d[8]; };
extern "C" __global__ void ${entry}(unsigned int* __restrict__ out, const unsigned int* __restrict__ in, unsigned long long n, int rank,
    I8 dims, I8 begin, I8 step, I8 inDim, I8 mode, L8 inStride, L8 outStride, unsigned int pad) {
  for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x) {
    unsigned long long rem = i;
    long long src = 0, dst = 0;
    bool inside = true;
    for (int d = rank - 1; d >= 0; --d) {
      const long long c = (long long)(rem % (unsigned long long)dims.d[d]);
      rem /= (unsigned long long)dims.d[d];
      long long s = (long long)begin.d[d] + c * (long long)step.d[d];
      const long long len = inDim.d[d];
      switch (mode.d[d]) {
        case 1: s %= len; if (s < 0) s += len; break;
        case 2: if (s < 0 || s >= len) inside = false; break;
        case 3: case 4: {
          const long long off = mode.d[d] - 3;
          if (s < 0) s = -s - off;
          else if (s >= len) s = 2 * len - 2 - s + off;
          break;
        }
        default: break;
      }
      src += s * inStride.d[d];
      dst += c * outStride.d[d];
    }
    out[dst] = inside ? in[src] : pad;
  }
}
`;
  return { source, entry };
}
