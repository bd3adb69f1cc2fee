/**
 * Direct convolutions in NDHWC (2-D ones run with depth 1), regular or depthwise (chMul > 0: output channel
 * c1·chMul + m reads input channel c1 and filter [.., c1, m]): Conv3D's forward pass, and the input and filter
 * gradients of Conv2D, Conv3D and DepthwiseConv2dNative. Sums run in float per thread (double for the filter
 * gradient's long reductions); the filter gradient is one block per filter element, reduced in shared memory.
 * Shape arguments: the fields of CONV_GRAD_FIELDS as ints, after the pointers and the element count. dy is indexed with
 * its own extents (dyD, dyH, dyW), the loops bounded by the conv info's output extents, as cpu's loops: tfjs's tests
 * call conv2dTranspose with a dy larger than the info's output.
 */
import { PRELUDE } from './prelude.ts';

export const CONV_GRAD_FIELDS = [
  'batch', 'inD', 'inH', 'inW', 'inC', 'outD', 'outH', 'outW', 'outC', 'fD', 'fH', 'fW',
  'sD', 'sH', 'sW', 'dilD', 'dilH', 'dilW', 'padF', 'padT', 'padL', 'chMul', 'dyD', 'dyH', 'dyW',
] as const;
export type ConvGradFields = Record<(typeof CONV_GRAD_FIELDS)[number], number>;
export type ConvGradKind = 'forward' | 'inputGrad' | 'filterGrad';
export const CONV_FILTER_GRAD_THREADS = 256;

const PARAMS = CONV_GRAD_FIELDS.map((f) => `int ${f}`).join(', ');
const LOOP = 'for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)';

export function convGradSource(kind: ConvGradKind): { source: string; entry: string } {
  const entry = `fb_conv_${kind}`;
  let body: string;
  if (kind === 'forward') {
    // out[b, od, oh, ow, c2] = Σ x[b, od·sD − padF + fd·dilD, …, c1] · w[fd, fh, fw, c1, c2 | m].
    body = `
  ${LOOP} {
    long long r = (long long)i;
    const long long c2 = r % outC; r /= outC; const long long ow = r % outW; r /= outW; const long long oh = r % outH; r /= outH;
    const long long od = r % outD; const long long b = r / outD;
    const long long c1lo = chMul ? c2 / chMul : 0, c1hi = chMul ? c1lo + 1 : inC, m = chMul ? c2 % chMul : 0;
    const long long wC2 = chMul ? chMul : outC;
    float acc = 0.f;
    for (long long fd = 0; fd < fD; ++fd) {
      const long long xd = od * sD - padF + fd * dilD; if (xd < 0 || xd >= inD) continue;
      for (long long fh = 0; fh < fH; ++fh) {
        const long long xh = oh * sH - padT + fh * dilH; if (xh < 0 || xh >= inH) continue;
        for (long long fw = 0; fw < fW; ++fw) {
          const long long xw = ow * sW - padL + fw * dilW; if (xw < 0 || xw >= inW) continue;
          const float* xp = x + (((b * inD + xd) * inH + xh) * inW + xw) * inC;
          const float* wp = w + ((fd * fH + fh) * fW + fw) * inC * wC2;
          for (long long c1 = c1lo; c1 < c1hi; ++c1) acc += xp[c1] * wp[c1 * wC2 + (chMul ? m : c2)];
        }
      }
    }
    out[i] = acc;
  }`;
  } else if (kind === 'inputGrad') {
    // dx[b, xd, xh, xw, c1] = Σ over filter taps f with (x + pad − f·dil) = y·s for an output y in range: dy[b, y, c2] · w[f, c1, c2 | m].
    body = `
  ${LOOP} {
    long long r = (long long)i;
    const long long c1 = r % inC; r /= inC; const long long xw = r % inW; r /= inW; const long long xh = r % inH; r /= inH;
    const long long xd = r % inD; const long long b = r / inD;
    const long long wC2 = chMul ? chMul : outC;
    const long long c2lo = chMul ? c1 * chMul : 0, c2hi = chMul ? c2lo + chMul : outC;
    float acc = 0.f;
    for (long long fd = 0; fd < fD; ++fd) {
      const long long nd = xd + padF - fd * dilD; if (nd < 0 || nd % sD != 0 || nd / sD >= outD) continue;
      for (long long fh = 0; fh < fH; ++fh) {
        const long long nh = xh + padT - fh * dilH; if (nh < 0 || nh % sH != 0 || nh / sH >= outH) continue;
        for (long long fw = 0; fw < fW; ++fw) {
          const long long nw = xw + padL - fw * dilW; if (nw < 0 || nw % sW != 0 || nw / sW >= outW) continue;
          const float* dyp = dy + (((b * dyD + nd / sD) * dyH + nh / sH) * dyW + nw / sW) * outC;
          const float* wp = w + (((fd * fH + fh) * fW + fw) * inC + c1) * wC2;
          for (long long c2 = c2lo; c2 < c2hi; ++c2) acc += dyp[c2] * wp[chMul ? c2 - c2lo : c2];
        }
      }
    }
    out[i] = acc;
  }`;
  } else {
    // dW[fd, fh, fw, c1, c2 | m] = Σ over b and outputs y: x[b, y·s − pad + f·dil, c1] · dy[b, y, c2]; one block per element.
    body = `
  __shared__ double part[${CONV_FILTER_GRAD_THREADS}];
  for (unsigned long long e = blockIdx.x; e < n; e += gridDim.x) {
    long long r = (long long)e;
    const long long wC2 = chMul ? chMul : outC;
    const long long k2 = r % wC2; r /= wC2; const long long c1 = r % inC; r /= inC;
    const long long fw = r % fW; r /= fW; const long long fh = r % fH; const long long fd = r / fH;
    const long long c2 = chMul ? c1 * chMul + k2 : k2;
    const long long outs = (long long)batch * outD * outH * outW;
    double acc = 0;
    for (long long o = threadIdx.x; o < outs; o += blockDim.x) {
      long long q = o;
      const long long ow = q % outW; q /= outW; const long long oh = q % outH; q /= outH; const long long od = q % outD; const long long b = q / outD;
      const long long xd = od * sD - padF + fd * dilD, xh = oh * sH - padT + fh * dilH, xw = ow * sW - padL + fw * dilW;
      if (xd < 0 || xd >= inD || xh < 0 || xh >= inH || xw < 0 || xw >= inW) continue;
      acc += (double)x[(((b * inD + xd) * inH + xh) * inW + xw) * inC + c1] * dy[(((b * dyD + od) * dyH + oh) * dyW + ow) * outC + c2];
    }
    part[threadIdx.x] = acc;
    __syncthreads();
    for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
      __syncthreads();
    }
    if (threadIdx.x == 0) out[e] = (float)part[0];
    __syncthreads();
  }`;
  }
  const source = `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ dy,
    unsigned long long n, ${PARAMS}) {${body}
}
`;
  return { source, entry };
}
