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

/** Generated sources by their parameters: a signature's text is built once, and the compiler's memo hits by identity. */
const sources = new Map<string, { source: string; entry: string }>();
function memo(entry: string, build: () => string): { source: string; entry: string } {
  let s = sources.get(entry);
  if (!s) sources.set(entry, (s = { source: build(), entry }));
  return s;
}

/** cols[(n,oh,ow), (kh,kw,c)] = x[n, oh*sh - pt + kh*dh, ow*sw - pl + kw*dw, c] or 0. Params: cols, x, total, p. */
export function im2colSource(wide: boolean): { source: string; entry: string } {
  const entry = `fb_im2col_nhwc${wide ? '_w' : ''}`;
  return memo(entry, () => `${PRELUDE}
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
`);
}

/**
 * Depthwise conv with bias and activation in the store (act: 0 linear, 1 relu, 2 relu6; bias may be null).
 * `vec4`: each thread computes 4 adjacent channels of one output pixel with float4 loads of x, the filter and the
 * bias and one float4 store (channel multiplier 1, C % 4 = 0, 16-byte aligned pointers): a quarter of the index
 * arithmetic and of the load instructions. `wide`: 64-bit indices (more than 2^31 − 1 outputs); else 32-bit, whose
 * divisions cost a fraction of 64-bit ones. `total` counts outputs (float4s when vec4).
 * Params: out, x, filter, bias, total, p.
 */
export function depthwiseSource(act: 0 | 1 | 2, hasBias: boolean, vec4 = false, wide = true): { source: string; entry: string } {
  const entry = `fb_depthwise_nhwc_a${act}${hasBias ? '_b' : ''}${vec4 ? '_v4' : ''}${wide ? '_w' : ''}`;
  const T = vec4 ? 'float4' : 'float';
  const lanes = vec4 ? ['.x', '.y', '.z', '.w'] : [''];
  const each = (f: (l: string) => string): string => lanes.map(f).join(' ');
  const activation = act === 1 ? each((l) => `acc${l} = fb_relu(acc${l});`) : act === 2 ? each((l) => `acc${l} = acc${l} < 0.f ? 0.f : (acc${l} > 6.f ? 6.f : acc${l});`) : '';
  return memo(entry, () => `${PRELUDE}
typedef ${wide ? 'unsigned long long' : 'unsigned int'} U;
${STRUCT}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ f,
                                    const float* __restrict__ bias, U total, ConvP p) {
  const int oc${vec4 ? '4' : ''}n = p.outC${vec4 ? ' >> 2' : ''};
  for (U i = (U)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (U)gridDim.x * blockDim.x) {
    const int q = i % oc${vec4 ? '4' : ''}n; U r = i / oc${vec4 ? '4' : ''}n;
    const int ow = r % p.outW; r /= p.outW; const int oh = r % p.outH; const int n = r / p.outH;
    ${vec4 ? 'const int c = q << 2;  /* channel multiplier 1: output channel = input channel */' : 'const int oc = q, c = oc / p.mult, m = oc % p.mult;'}
    ${T} acc = ${vec4 ? 'make_float4(0.f, 0.f, 0.f, 0.f)' : '0.f'};
    for (int kh = 0; kh < p.kH; ++kh) {
      const int ih = oh * p.strideH - p.padTop + kh * p.dilH;
      if (ih < 0 || ih >= p.inH) continue;
      for (int kw = 0; kw < p.kW; ++kw) {
        const int iw = ow * p.strideW - p.padLeft + kw * p.dilW;
        if (iw < 0 || iw >= p.inW) continue;
        ${vec4
          ? `const float4 xv = *reinterpret_cast<const float4*>(x + (((U)n * p.inH + ih) * p.inW + iw) * p.inC + c);
        const float4 fv = *reinterpret_cast<const float4*>(f + (kh * p.kW + kw) * p.inC + c);
        ${each((l) => `acc${l} += xv${l} * fv${l};`)}`
          : 'acc += x[(((U)n * p.inH + ih) * p.inW + iw) * p.inC + c] * f[((kh * p.kW + kw) * p.inC + c) * p.mult + m];'}
      }
    }
    ${hasBias ? (vec4 ? `{ const float4 bv = *reinterpret_cast<const float4*>(bias + c); ${each((l) => `acc${l} += bv${l};`)} }` : 'acc += bias[oc];') : ''}
    ${activation}
    ${vec4 ? 'reinterpret_cast<float4*>(out)[i] = acc;' : 'out[i] = acc;'}
  }
}
`);
}

/**
 * FusedBatchNorm as tfjs-backend-cpu defines it: every parameter is indexed by (flat index mod its length).
 * out = (x - mean) * scale / sqrt(var + eps) + offset; missing scale = 1, missing offset = 0.
 * Params: out, x, mean, var, offset, scale, total, lenMean, lenVar, lenOffset, lenScale, eps.
 */
export function batchNormSource(): { source: string; entry: string } {
  const entry = 'fb_batchnorm';
  return memo(entry, () => `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ mean,
    const float* __restrict__ var, const float* __restrict__ offset, const float* __restrict__ scale, unsigned long long total,
    unsigned int lm, unsigned int lv, unsigned int lo, unsigned int ls, float eps) {
  for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (unsigned long long)gridDim.x * blockDim.x) {
    const float sc = ls ? scale[i % ls] : 1.f;
    const float of = lo ? offset[i % lo] : 0.f;
    out[i] = (x[i] - mean[i % lm]) * sc / sqrtf(var[i % lv] + eps) + of;
  }
}
`);
}
