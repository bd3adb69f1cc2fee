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
/** GELU's tanh approximation, 0.5·v·(1 + tanh(√(2/π)·(v + 0.044715·v³))). */
export const geluTanh = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));

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
  return 1 - erfcTail(x);
}

/** erfc = 1 − erf in float64, by the same series, with the continued fraction (full relative precision) for x ≥ 2.5. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return x < 2.5 ? 1 - erf(x) : erfcTail(x);
}

/** erfc for x ≥ 2.5. */
function erfcTail(x: number): number {
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

// ---------------------------------------------------------------------------------------------------------
// Batched matmul, softmax, attention

/** C[b] = A[b]·B[b] (or B[b]ᵀ) for `batch` stacked row-major matrices. */
export function batchedMatmul(
  a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number, transposeB = false,
): Float64Array {
  const out = new Float64Array(batch * m * n);
  for (let h = 0; h < batch; h++) {
    const c = matmul(a.subarray(h * m * k, (h + 1) * m * k), b.subarray(h * k * n, (h + 1) * k * n), m, k, n, transposeB);
    out.set(c, h * m * n);
  }
  return out;
}

/** Row-wise softmax of a [rows, n] matrix, in place (max-subtracted). */
export function softmaxRows(x: Float64Array, rows: number, n: number): Float64Array {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, x[o + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      x[o + j] = Math.exp(x[o + j] - max);
      sum += x[o + j];
    }
    for (let j = 0; j < n; j++) x[o + j] /= sum;
  }
  return x;
}

export function scale(x: Float64Array, s: number): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] *= s;
  return x;
}

/** softmax(q·kᵀ·s) for q, k [bh, seq, d] → [bh, seq, seq]. */
export function qktSoftmax(q: Float64Array, k: Float64Array, bh: number, seq: number, d: number, s: number): Float64Array {
  return softmaxRows(scale(batchedMatmul(q, k, bh, seq, d, seq, true), s), bh * seq, seq);
}

/** softmax(q·kᵀ·s)·v for q, k, v [bh, seq, d] → [bh, seq, d]. */
export function sdpa(q: Float64Array, k: Float64Array, v: Float64Array, bh: number, seq: number, d: number, s: number): Float64Array {
  return batchedMatmul(qktSoftmax(q, k, bh, seq, d, s), v, bh, seq, seq, d);
}

// ---------------------------------------------------------------------------------------------------------
// Normalisation and elementwise

/** (x − mean)/√(var + ε)·γ + β over rows of length d (biased variance). */
export function layerNorm(x: Float64Array, gamma: Float64Array, beta: Float64Array, rows: number, d: number, eps: number): Float64Array {
  const out = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[o + i];
    mean /= d;
    let v = 0;
    for (let i = 0; i < d; i++) v += (x[o + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + eps);
    for (let i = 0; i < d; i++) out[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
  }
  return out;
}

/** Inference batch norm over the last (channel) axis, in place: (y − mean)/√(var + ε)·γ + β. */
export function batchNormLastAxis(
  y: Float64Array, mean: Float64Array, variance: Float64Array, offset: Float64Array, scaleGamma: Float64Array, eps: number,
): Float64Array {
  const c = mean.length;
  for (let i = 0; i < y.length; i++) {
    const ch = i % c;
    y[i] = ((y[i] - mean[ch]) / Math.sqrt(variance[ch] + eps)) * scaleGamma[ch] + offset[ch];
  }
  return y;
}

export function add(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Convolutions (NHWC)

export interface Conv2dGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly fH: number;
  readonly fW: number;
  /** Output channels (conv) or channel multiplier (depthwise). */
  readonly outC: number;
  readonly stride: number;
  readonly pad: 'same' | 'valid';
}

/** Output size and top/left padding, as tfjs computes them (backend_util.computeConv2DInfo). */
export function convOutput(g: Conv2dGeometry): { outH: number; outW: number; padTop: number; padLeft: number } {
  if (g.pad === 'valid') {
    return { outH: Math.ceil((g.inH - g.fH + 1) / g.stride), outW: Math.ceil((g.inW - g.fW + 1) / g.stride), padTop: 0, padLeft: 0 };
  }
  const outH = Math.ceil(g.inH / g.stride);
  const outW = Math.ceil(g.inW / g.stride);
  const padH = Math.max(0, (outH - 1) * g.stride + g.fH - g.inH);
  const padW = Math.max(0, (outW - 1) * g.stride + g.fW - g.inW);
  return { outH, outW, padTop: Math.floor(padH / 2), padLeft: Math.floor(padW / 2) };
}

/** conv2d of x [batch, inH, inW, inC] with w [fH, fW, inC, outC] → [batch, outH, outW, outC]. */
export function conv2dNHWC(x: Float64Array, w: Float64Array, g: Conv2dGeometry): Float64Array {
  const { outH, outW, padTop, padLeft } = convOutput(g);
  const out = new Float64Array(g.batch * outH * outW * g.outC);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * g.outC;
        for (let fy = 0; fy < g.fH; fy++) {
          const iy = oy * g.stride - padTop + fy;
          if (iy < 0 || iy >= g.inH) continue;
          for (let fx = 0; fx < g.fW; fx++) {
            const ix = ox * g.stride - padLeft + fx;
            if (ix < 0 || ix >= g.inW) continue;
            const xi = ((b * g.inH + iy) * g.inW + ix) * g.inC;
            const wi = (fy * g.fW + fx) * g.inC * g.outC;
            for (let ci = 0; ci < g.inC; ci++) {
              const xv = x[xi + ci];
              const wr = wi + ci * g.outC;
              for (let co = 0; co < g.outC; co++) out[o + co] += xv * w[wr + co];
            }
          }
        }
      }
    }
  }
  return out;
}

/** Depthwise conv of x [batch, inH, inW, C] with w [fH, fW, C, mult] → [batch, outH, outW, C·mult]. */
export function depthwiseConv2dNHWC(x: Float64Array, w: Float64Array, g: Conv2dGeometry): Float64Array {
  const { outH, outW, padTop, padLeft } = convOutput(g);
  const mult = g.outC;
  const outC = g.inC * mult;
  const out = new Float64Array(g.batch * outH * outW * outC);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * outC;
        for (let fy = 0; fy < g.fH; fy++) {
          const iy = oy * g.stride - padTop + fy;
          if (iy < 0 || iy >= g.inH) continue;
          for (let fx = 0; fx < g.fW; fx++) {
            const ix = ox * g.stride - padLeft + fx;
            if (ix < 0 || ix >= g.inW) continue;
            const xi = ((b * g.inH + iy) * g.inW + ix) * g.inC;
            const wi = (fy * g.fW + fx) * outC;
            for (let c = 0; c < g.inC; c++) {
              for (let q = 0; q < mult; q++) out[o + c * mult + q] += x[xi + c] * w[wi + c * mult + q];
            }
          }
        }
      }
    }
  }
  return out;
}
