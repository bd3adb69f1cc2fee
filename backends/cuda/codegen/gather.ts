/**
 * Gather and scatter kernels: GatherV2, GatherNd, ScatterNd / TensorScatterUpdate / SparseToDense, UnsortedSegmentSum,
 * Bincount / DenseBincount, OneHot, SearchSorted, and the min/max of an int32 tensor (index validation). All values
 * move as 32-bit patterns except where they are summed (T is then float or int). Indices outside their range read
 * 0 or are skipped, as on tfjs's GPU backends; the kernels that tfjs validates check on the host first.
 */
import { PRELUDE } from './prelude.ts';
import type { ElemDtype } from './elementwise.ts';

const C: Record<ElemDtype, string> = { float32: 'float', int32: 'int' };
const GRID = `for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)`;

/** out[b, o, k, s] = x[b, o, idx[b, k], s] (0 when the index is outside [0, dim)). Params: out, x, idx, n, outer, nIdx, dim, slice. */
export function gatherSource(): { source: string; entry: string } {
  const entry = 'fb_gather';
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(unsigned int* __restrict__ out, const unsigned int* __restrict__ x, const int* __restrict__ idx,
    unsigned long long n, long long outer, long long nIdx, long long dim, long long slice) {
  ${GRID} {
    const long long s = (long long)(i % (unsigned long long)slice);
    long long r = (long long)(i / (unsigned long long)slice);
    const long long k = r % nIdx; r /= nIdx;
    const long long o = r % outer; const long long b = r / outer;
    const long long j = idx[b * nIdx + k];
    out[i] = (j >= 0 && j < dim) ? x[((b * outer + o) * dim + j) * slice + s] : 0u;
  }
}
` };
}

/**
 * GatherNd: out[k, s] = x[(Σ idx[k, j]·strides[j])·sliceSize + s] (strides in slices, as backend_util's
 * prepareAndValidate gives them), 0 when a coordinate is outside params' shape (tfjs-backend-cpu throws there; its
 * tests do not reach it). Params: out, x, idx, n, sliceRank, sliceSize, strides (L8), dims (L8).
 */
export function gatherNdSource(): { source: string; entry: string } {
  const entry = 'fb_gather_nd';
  return { entry, source: `${PRELUDE}
struct L8 { long long d[8]; };
extern "C" __global__ void ${entry}(unsigned int* __restrict__ out, const unsigned int* __restrict__ x, const int* __restrict__ idx,
    unsigned long long n, int sliceRank, long long sliceSize, L8 strides, L8 dims) {
  ${GRID} {
    const long long k = (long long)(i / (unsigned long long)sliceSize), s = (long long)(i % (unsigned long long)sliceSize);
    long long at = 0; bool ok = true;
    for (int j = 0; j < sliceRank; ++j) {
      const long long c = idx[k * sliceRank + j];
      if (c < 0 || c >= dims.d[j]) ok = false;
      at += c * strides.d[j];
    }
    out[i] = ok ? x[at * sliceSize + s] : 0u;
  }
}
` };
}

/**
 * Scatter of update slices into out (already holding its initial values): slot = Σ idx[k, j]·strides[j] (in slices,
 * as backend_util.calculateShapes gives them), out[slot·sliceSize + s] op= upd[k, s] for slot in [0, slots)
 * (updOne: one update value for every element, SparseToDense's scalar values). sum: atomicAdd (ScatterNd sums
 * duplicates); else a plain store (TensorScatterUpdate, SparseToDense: one of the duplicates wins).
 * Params: out, upd, idx, n (update elements), sliceRank, sliceSize, slots, strides (L8), updOne.
 */
export function scatterSource(dtype: ElemDtype, sum: boolean): { source: string; entry: string } {
  const T = C[dtype];
  const entry = `fb_scatter_${sum ? 'add' : 'set'}_${dtype}`;
  return { entry, source: `${PRELUDE}
struct L8 { long long d[8]; };
extern "C" __global__ void ${entry}(${T}* __restrict__ out, const ${T}* __restrict__ upd, const int* __restrict__ idx,
    unsigned long long n, int sliceRank, long long sliceSize, long long slots, L8 strides, int updOne) {
  ${GRID} {
    const long long k = (long long)(i / (unsigned long long)sliceSize), s = (long long)(i % (unsigned long long)sliceSize);
    long long slot = 0;
    for (int j = 0; j < sliceRank; ++j) slot += (long long)idx[k * sliceRank + j] * strides.d[j];
    if (slot < 0 || slot >= slots) continue;
    const long long at = slot * sliceSize + s;
    const ${T} v = upd[updOne ? 0 : i];
    ${sum ? 'atomicAdd(out + at, v);' : 'out[at] = v;'}
  }
}
` };
}

/** UnsortedSegmentSum: out[seg[r], c] += x[r, c] for seg in [0, numSegments). Params: out, x, seg, n, cols, numSegments. */
export function segmentSumSource(dtype: ElemDtype): { source: string; entry: string } {
  const T = C[dtype];
  const entry = `fb_segment_sum_${dtype}`;
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(${T}* __restrict__ out, const ${T}* __restrict__ x, const int* __restrict__ seg,
    unsigned long long n, long long cols, long long numSegments) {
  ${GRID} {
    const long long r = (long long)(i / (unsigned long long)cols), c = (long long)(i % (unsigned long long)cols);
    const long long s = seg[r];
    if (s >= 0 && s < numSegments) atomicAdd(out + s * cols + c, x[i]);
  }
}
` };
}

/**
 * Bincount / DenseBincount over rows: out[r, v] += w (w = weights[r, k], or 1 without weights; binary: out = 1) for
 * each value v = x[r, k] in [0, size). Params: out, x, weights (null: count), n, cols, size, binary.
 */
export function bincountSource(dtype: ElemDtype): { source: string; entry: string } {
  const T = C[dtype];
  const entry = `fb_bincount_${dtype}`;
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(${T}* __restrict__ out, const int* __restrict__ x, const ${T}* __restrict__ w,
    unsigned long long n, long long cols, long long size, int binary) {
  ${GRID} {
    const long long r = (long long)(i / (unsigned long long)cols);
    const long long v = x[i];
    if (v < 0 || v >= size) continue;
    if (binary) out[r * size + v] = (${T})1;
    else atomicAdd(out + r * size + v, w ? w[i] : (${T})1);
  }
}
` };
}

/**
 * SparseSegmentSum (and Mean's sums): out[seg[k], c] += data[idx[k], c] by atomicAdd (indices and segment ids
 * validated on the host first). Params: out, data, idx, seg, n (= numIndices·cols), cols.
 */
export function sparseSegmentSource(dtype: ElemDtype): { source: string; entry: string } {
  const T = C[dtype];
  const entry = `fb_sparse_segment_sum_${dtype}`;
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(${T}* __restrict__ out, const ${T}* __restrict__ data, const int* __restrict__ idx, const int* __restrict__ seg,
    unsigned long long n, long long cols) {
  ${GRID} {
    const long long k = (long long)(i / (unsigned long long)cols), c = (long long)(i % (unsigned long long)cols);
    atomicAdd(out + (long long)seg[k] * cols + c, data[(long long)idx[k] * cols + c]);
  }
}
` };
}

/** OneHot: out[k, d] = idx[k] == d ? on : off (bits). Params: out, idx, n, depth, on, off. */
export function oneHotSource(): { source: string; entry: string } {
  const entry = 'fb_one_hot';
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(unsigned int* __restrict__ out, const int* __restrict__ idx, unsigned long long n, long long depth, unsigned int on, unsigned int off) {
  ${GRID} {
    const long long k = (long long)(i / (unsigned long long)depth), d = (long long)(i % (unsigned long long)depth);
    out[i] = idx[k] == d ? on : off;
  }
}
` };
}

/**
 * SearchSorted: for each value of row b, the first position in sorted row b whose element is ≥ it (left) or > it
 * (right), by binary search. Params: out, sorted, values, n, valuesPerRow, sortedPerRow, right.
 */
export function searchSortedSource(dtype: ElemDtype): { source: string; entry: string } {
  const T = C[dtype];
  const entry = `fb_search_sorted_${dtype}`;
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(int* __restrict__ out, const ${T}* __restrict__ sorted, const ${T}* __restrict__ values,
    unsigned long long n, long long valuesPerRow, long long sortedPerRow, int right) {
  ${GRID} {
    const long long b = (long long)(i / (unsigned long long)valuesPerRow);
    const ${T}* row = sorted + b * sortedPerRow;
    const ${T} v = values[i];
    long long lo = 0, hi = sortedPerRow;
    while (lo < hi) {
      const long long mid = lo + (hi - lo) / 2;
      const bool goRight = right ? !(v < row[mid]) : (row[mid] < v);
      if (goRight) lo = mid + 1; else hi = mid;
    }
    out[i] = (int)lo;
  }
}
` };
}

/** out[0] = min, out[1] = max of an int32 tensor (out preset to INT_MAX, INT_MIN). Params: out, x, n. */
export function intRangeSource(): { source: string; entry: string } {
  const entry = 'fb_int_range';
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(int* __restrict__ out, const int* __restrict__ x, unsigned long long n) {
  int lo = 2147483647, hi = -2147483647 - 1;
  ${GRID} { const int v = x[i]; lo = v < lo ? v : lo; hi = v > hi ? v : hi; }
  atomicMin(out, lo);
  atomicMax(out + 1, hi);
}
` };
}
