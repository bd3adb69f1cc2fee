/**
 * Cumsum and Cumprod along the innermost axis of a [rows, cols] view, inclusive or exclusive, forwards or reversed
 * (tfjs-backend-cpu's index rule: reversed, position j of a row is element cols-1-j).
 * Short rows: one thread scans one row. Long rows: one block per row; each thread scans a contiguous chunk, the
 * chunk totals are scanned in shared memory (Hillis-Steele), then each thread rescans its chunk from its offset.
 * Params: out, in, rows, cols, exclusive, reverse.
 */
import { PRELUDE } from './prelude.ts';
import type { ElemDtype } from './elementwise.ts';

export type ScanOp = 'sum' | 'prod';
export const SCAN_THREAD_PER_ROW_MAX_COLS = 64;
export const SCAN_BLOCK = 256;

export function scanSource(op: ScanOp, dtype: ElemDtype, threadPerRow: boolean): { source: string; entry: string } {
  const T = dtype === 'float32' ? 'float' : 'int';
  const id = op === 'sum' ? '(T)0' : '(T)1';
  const comb = (a: string, b: string): string => (op === 'sum' ? `(${a} + ${b})` : `(${a} * ${b})`);
  const entry = `fb_cum${op}_${dtype}${threadPerRow ? '_tpr' : ''}`;
  const at = '(reverse ? cols - 1 - (j) : (j))';
  const body = threadPerRow
    ? `
  const unsigned long long r = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const T* x = in + r * cols; T* y = out + r * cols;
  T acc = ${id};
  for (long long j = 0; j < cols; ++j) {
    const long long k = ${at};
    const T v = x[k];
    if (exclusive) { y[k] = acc; acc = ${comb('acc', 'v')}; } else { acc = ${comb('acc', 'v')}; y[k] = acc; }
  }`
    : `
  __shared__ T part[${SCAN_BLOCK}];
  const T* x = in + (unsigned long long)blockIdx.x * cols; T* y = out + (unsigned long long)blockIdx.x * cols;
  const long long chunk = (cols + blockDim.x - 1) / blockDim.x;
  const long long lo = (long long)threadIdx.x * chunk, hi = lo + chunk < cols ? lo + chunk : cols;
  T acc = ${id};
  for (long long j = lo; j < hi; ++j) acc = ${comb("acc", `x[${at}]`)};
  part[threadIdx.x] = acc;
  __syncthreads();
  for (unsigned int s = 1; s < blockDim.x; s <<= 1) {
    const T other = threadIdx.x >= s ? part[threadIdx.x - s] : ${id};
    __syncthreads();
    part[threadIdx.x] = ${comb('part[threadIdx.x]', 'other')};
    __syncthreads();
  }
  acc = threadIdx.x == 0 ? ${id} : part[threadIdx.x - 1];
  for (long long j = lo; j < hi; ++j) {
    const long long k = ${at};
    const T v = x[k];
    if (exclusive) { y[k] = acc; acc = ${comb('acc', 'v')}; } else { acc = ${comb('acc', 'v')}; y[k] = acc; }
  }`;
  const source = `${PRELUDE}
typedef ${T} T;
extern "C" __global__ void ${entry}(T* __restrict__ out, const T* __restrict__ in, unsigned long long rows, long long cols, int exclusive, int reverse) {${body}
}
`;
  return { source, entry };
}
