/**
 * Convolution helpers in NHWC: im2col (for Conv2D through a cuBLASLt GEMM), a direct depthwise kernel
 * with bias and activation fused, and FusedBatchNorm.
 */
import { PRELUDE } from './prelude.ts';

/** Shape facts shared by the conv kernels, passed as one struct of ints. */
export const CONV_PARAM_FIELDS = [
  'batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'kH', 'kW', 'strideH', 'strideW', 'dilH', 'dilW', 'padTop', 'padLeft', 'mult',
] as const;
export type ConvParams = Record<(typeof CONV_PARAM_FIELDS)[number], number>;

const STRUCT = `struct ConvP { int ${CONV_PARAM_FIELDS.join(', ')}; };`;

/** cols[(n,oh,ow), (kh,kw,c)] = x[n, oh*sh - pt + kh*dh, ow*sw - pl + kw*dw, c] or 0. Params: cols, x, total, p. */
export function im2colSource(wide: boolean): { source: string; entry: string } {
  const entry = `fb_im2col_nhwc${wide ? '_w' : ''}`;
  const source = `${PRELUDE}
typedef ${wide ? 'unsigned long long' : 'unsigned int'} U;
${STRUCT}
extern "C" __global__ void ${entry}(float* __restrict__ cols, const float* __restrict__ x, U total, ConvP p) {
  const U kk = (U)p.kH * p.kW * p.inC;
  for (U i = (U)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (U)gridDim.x * blockDim.x) {
    U row = i / kk, col = i - row * kk;
    const int c = col % p.inC; const U t = col / p.inC; const int kw = t % p.kW; const int kh = t / p.kW;
    const int ow = row % p.outW; const U r2 = row / p.outW; const int oh = r2 % p.outH; const int n = r2 / p.outH;
    const int ih = oh * p.strideH - p.padTop + kh * p.dilH;
    const int iw = ow * p.strideW - p.padLeft + kw * p.dilW;
    float v = 0.f;
    if (ih >= 0 && ih < p.inH && iw >= 0 && iw < p.inW) v = x[(((U)n * p.inH + ih) * p.inW + iw) * p.inC + c];
    cols[i] = v;
  }
}
`;
  return { source, entry };
}

/** act: 0 linear, 1 relu, 2 relu6. bias may be null. Params: out, x, filter, bias, total, p. */
export function depthwiseSource(act: 0 | 1 | 2, hasBias: boolean): { source: string; entry: string } {
  const entry = `fb_depthwise_nhwc_a${act}${hasBias ? '_b' : ''}`;
  const source = `${PRELUDE}
${STRUCT}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ f,
                                    const float* __restrict__ bias, unsigned long long total, ConvP p) {
  for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (unsigned long long)gridDim.x * blockDim.x) {
    const int oc = i % p.outC; unsigned long long r = i / p.outC;
    const int ow = r % p.outW; r /= p.outW; const int oh = r % p.outH; const int n = r / p.outH;
    const int c = oc / p.mult, m = oc % p.mult;
    float acc = 0.f;
    for (int kh = 0; kh < p.kH; ++kh) {
      const int ih = oh * p.strideH - p.padTop + kh * p.dilH;
      if (ih < 0 || ih >= p.inH) continue;
      for (int kw = 0; kw < p.kW; ++kw) {
        const int iw = ow * p.strideW - p.padLeft + kw * p.dilW;
        if (iw < 0 || iw >= p.inW) continue;
        acc += x[(((unsigned long long)n * p.inH + ih) * p.inW + iw) * p.inC + c] * f[((kh * p.kW + kw) * p.inC + c) * p.mult + m];
      }
    }
    ${hasBias ? 'acc += bias[oc];' : ''}
    ${act === 1 ? 'acc = fb_relu(acc);' : act === 2 ? 'acc = acc < 0.f ? 0.f : (acc > 6.f ? 6.f : acc);' : ''}
    out[i] = acc;
  }
}
`;
  return { source, entry };
}

/**
 * FusedBatchNorm as tfjs-backend-cpu defines it: every parameter is indexed by (flat index mod its length).
 * out = (x - mean) * scale / sqrt(var + eps) + offset; missing scale = 1, missing offset = 0.
 * Params: out, x, mean, var, offset, scale, total, lenMean, lenVar, lenOffset, lenScale, eps.
 */
export function batchNormSource(): { source: string; entry: string } {
  const entry = 'fb_batchnorm';
  const source = `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ mean,
    const float* __restrict__ var, const float* __restrict__ offset, const float* __restrict__ scale, unsigned long long total,
    unsigned int lm, unsigned int lv, unsigned int lo, unsigned int ls, float eps) {
  for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (unsigned long long)gridDim.x * blockDim.x) {
    const float sc = ls ? scale[i % ls] : 1.f;
    const float of = lo ? offset[i % lo] : 0.f;
    out[i] = (x[i] - mean[i % lm]) * sc / sqrtf(var[i % lv] + eps) + of;
  }
}
`;
  return { source, entry };
}
