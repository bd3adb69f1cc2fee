/**
 * Hand-written JavaScript reference for the ternary ops: deliberately NOT derived from spec.ts, so that
 * the generated kernels are checked against an independent statement of the semantics.
 */
import type { BinaryOp } from './spec.ts';

export const refTnot = (x: number): number => (x === 0 ? 0 : -x);

export const REF_BINARY: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  tadd: (a, b) => {
    const s = a + b;
    return s > 1 ? 1 : s < -1 ? -1 : s;
  },
  tmul: (a, b) => a * b + 0, // + 0: never −0
  tmin: (a, b) => (a < b ? a : b),
  tmax: (a, b) => (a > b ? a : b),
};

type Arr = ArrayLike<number>;

export function refUnaryArray(x: Arr): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = refTnot(x[i]);
  return out;
}

export function refBinaryArray(op: BinaryOp, a: Arr, b: Arr): Float64Array {
  const f = REF_BINARY[op];
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], b[i]);
  return out;
}

export function refNotBinaryArray(op: BinaryOp, a: Arr, b: Arr): Float64Array {
  const f = REF_BINARY[op];
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = refTnot(f(a[i], b[i]));
  return out;
}

export function refFused3Array(inner: BinaryOp, outer: BinaryOp, a: Arr, b: Arr, c: Arr): Float64Array {
  const fi = REF_BINARY[inner];
  const fo = REF_BINARY[outer];
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = fo(fi(a[i], b[i]), c[i]);
  return out;
}

/** sign(x·w) for x [m,k] and w [k,n], row-major: the ternary dense layer's requantized product. */
export function refMatmulSign(x: Arr, w: Arr, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const xv = x[i * k + p];
      if (xv === 0) continue;
      const row = p * n;
      const orow = i * n;
      for (let j = 0; j < n; j++) out[orow + j] += xv * w[row + j];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.sign(out[i]) + 0;
  return out;
}
