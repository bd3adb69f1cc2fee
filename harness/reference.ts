/**
 * Float64 reference building blocks for suites. Plain loops over Float64Array: slow but exact enough
 * to judge float32 kernels. Shapes are passed explicitly; arrays are row-major.
 */

/** C[m,n] = A[m,k]·B[k,n] (or Bᵀ when `transposeB`, B then being [n,k]). */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transposeB = false): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[row + p];
      if (transposeB) continue;
      const brow = p * n;
      const crow = i * n;
      for (let j = 0; j < n; j++) c[crow + j] += av * b[brow + j];
    }
    if (transposeB) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[row + p] * b[j * k + p];
        c[i * n + j] = s;
      }
    }
  }
  return c;
}

/** x[r, j] += bias[j] for a [rows, n] matrix, in place. */
export function addBias(x: Float64Array, bias: Float64Array): Float64Array {
  const n = bias.length;
  for (let i = 0; i < x.length; i++) x[i] += bias[i % n];
  return x;
}

export function map(x: Float64Array, f: (v: number) => number): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = f(x[i]);
  return x;
}

export const relu = (v: number): number => (v > 0 ? v : 0);
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
export const silu = (v: number): number => v * sigmoid(v);
export const gelu = (v: number): number => 0.5 * v * (1 + erf(v / Math.SQRT2));

/** erf to ~1e-15: Taylor series near zero, Lentz continued fraction for erfc in the tails. */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x < 2.5) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  return 1 - erfc(x);
}

function erfc(x: number): number {
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) evaluated with modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? tiny : d;
    c = x + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
