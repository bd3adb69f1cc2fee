/**
 * Pooling in NDHWC (2-D pools run with depth 1): MaxPool/AvgPool (2-D, 3-D), their gradients, and the positions
 * of the maxima (MaxPoolWithArgmax). Each is tfjs-backend-cpu's loop nest (backends/cpu utils/pool_utils and the
 * *Grad kernels) with one thread per output element, including cpu's quirks, because tfjs's tests pin cpu's
 * numbers: a 2-D window starts at max(0, corner) while a 3-D one steps from the corner by the dilation; 2-D
 * maxima keep the first of equal values, 3-D ones the last; a 3-D position is wD·effH·effW + wR·effH + wC.
 * The shape arguments are the fields of POOL_FIELDS, as ints, after the pointers and the element count.
 */
import { PRELUDE } from './prelude.ts';
import type { ElemDtype } from './elementwise.ts';

export const POOL_FIELDS = [
  'batch', 'inD', 'inH', 'inW', 'ch', 'outD', 'outH', 'outW', 'effD', 'effH', 'effW', 'fD', 'fH', 'fW',
  'sD', 'sH', 'sW', 'dD', 'dH', 'dW', 'padF', 'padT', 'padL',
] as const;
export type PoolFields = Record<(typeof POOL_FIELDS)[number], number>;
export type PoolKind = 'max' | 'avg' | 'maxGrad' | 'avgGrad' | 'argmax';

const PARAMS = POOL_FIELDS.map((f) => `int ${f}`).join(', ');

/** The position of a window's maximum, as cpu's maxPoolPositions / maxPool3dPositions compute it (-1: none). */
function positionFn(is3d: boolean): string {
  return `
__device__ __forceinline__ long long fb_max_position(const T* x, long long b, long long yD, long long yR, long long yC, long long c,
    ${PARAMS}, int flatten, int withBatch) {
  const long long dCorner = yD * sD - padF, rCorner = yR * sH - padT, cCorner = yC * sW - padL;
  long long dMin = dCorner, rMin = rCorner, cMin = cCorner;
  while (dMin < 0) dMin += dD;
  while (rMin < 0) rMin += dH;
  while (cMin < 0) cMin += dW;
  const long long dMax = min((long long)inD, effD + dCorner), rMax = min((long long)inH, effH + rCorner), cMax = min((long long)inW, effW + cCorner);
  float best = -__int_as_float(0x7f800000);
  long long pos = -1;
  for (long long xd = dMin; xd < dMax; xd += dD)
    for (long long xr = rMin; xr < rMax; xr += dH)
      for (long long xc = cMin; xc < cMax; xc += dW) {
        const float v = (float)x[(((b * inD + xd) * inH + xr) * inW + xc) * ch + c];
        if (v ${is3d ? '>=' : '>'} best) {
          best = v;
          if (flatten) pos = withBatch ? ((b * inH + xr) * inW + xc) * ch + c : (xr * inW + xc) * ch + c;
          else pos = ${is3d ? '(xd - dCorner) * effH * effW + (xr - rCorner) * effH + (xc - cCorner)' : '(xr - rCorner) * effW + (xc - cCorner)'};
        }
      }
  return pos;
}`;
}

export function poolSource(kind: PoolKind, dtype: ElemDtype, is3d: boolean): { source: string; entry: string } {
  const T = dtype === 'float32' ? 'float' : 'int';
  const entry = `fb_pool${is3d ? '3d' : '2d'}_${kind}_${dtype}`;
  const args = POOL_FIELDS.join(', ');
  let body: string;
  if (kind === 'max' || kind === 'avg') {
    const start = (corner: string, dil: string): string => (is3d ? `${corner}; while (v < 0) v += ${dil}` : `${corner} < 0 ? 0 : ${corner}`);
    body = `
    long long r = (long long)i;
    const long long c = r % ch; r /= ch; const long long yC = r % outW; r /= outW; const long long yR = r % outH; r /= outH;
    const long long yD = r % outD; const long long b = r / outD;
    const long long dCorner = yD * sD - padF, rCorner = yR * sH - padT, cCorner = yC * sW - padL;
    long long v;
    v = ${start('dCorner', 'dD')}; const long long dMin = v;
    v = ${start('rCorner', 'dH')}; const long long rMin = v;
    v = ${start('cCorner', 'dW')}; const long long cMin = v;
    const long long dMax = min((long long)inD, effD + dCorner), rMax = min((long long)inH, effH + rCorner), cMax = min((long long)inW, effW + cCorner);
    float best = -__int_as_float(0x7f800000);
    double sum = 0; long long count = 0;
    for (long long xd = dMin; xd < dMax; xd += dD)
      for (long long xr = rMin; xr < rMax; xr += dH)
        for (long long xc = cMin; xc < cMax; xc += dW) {
          const float p = (float)x[(((b * inD + xd) * inH + xr) * inW + xc) * ch + c];
          ${kind === 'max' ? 'if (p > best) best = p;' : 'sum += p; ++count;'}
        }
    out[i] = (T)(${kind === 'max' ? 'best' : is3d ? 'sum / (double)(count > 1 ? count : 1)' : 'sum / (double)count'});`;
  } else if (kind === 'argmax') {
    body = `
    long long r = (long long)i;
    const long long c = r % ch; r /= ch; const long long yC = r % outW; r /= outW; const long long yR = r % outH; r /= outH;
    const long long yD = r % outD; const long long b = r / outD;
    out[i] = (int)fb_max_position(x, b, yD, yR, yC, c, ${args}, 1, withBatch);`;
  } else {
    const max = kind === 'maxGrad';
    body = `
    long long r = (long long)i;
    const long long c = r % ch; r /= ch; const long long xc = r % inW; r /= inW; const long long xr = r % inH; r /= inH;
    const long long xd = r % inD; const long long b = r / inD;
    const long long dCorner = xd - (effD - 1 - padF), rCorner = xr - (effH - 1 - padT), cCorner = xc - (effW - 1 - padL);
    double acc = 0;
    for (long long wD = 0; wD < effD; wD += dD) {
      const long long nd = dCorner + wD;
      if (nd < 0 || nd % sD != 0 || nd / sD >= outD) continue;
      const long long yD = nd / sD;
      for (long long wR = 0; wR < effH; wR += dH) {
        const long long nr = rCorner + wR;
        if (nr < 0 || nr % sH != 0 || nr / sH >= outH) continue;
        const long long yR = nr / sH;
        for (long long wC = 0; wC < effW; wC += dW) {
          const long long nc = cCorner + wC;
          if (nc < 0 || nc % sW != 0 || nc / sW >= outW) continue;
          const long long yC = nc / sW;
          ${max ? `const long long maxPos = effD * effH * effW - 1 - fb_max_position(x, b, yD, yR, yC, c, ${args}, 0, 0);
          const long long curPos = wD * effH * effW + wR * effW + wC;
          if (maxPos != curPos) continue;` : ''}
          acc += dy[(((b * outD + yD) * outH + yR) * outW + yC) * ch + c];
        }
      }
    }
    out[i] = (float)(acc${max ? '' : ' / ((double)fD * fH * fW)'});`;
  }
  const grad = kind === 'maxGrad' || kind === 'avgGrad';
  const source = `${PRELUDE}
typedef ${T} T;
${kind === 'argmax' || kind === 'maxGrad' ? positionFn(is3d) : ''}
extern "C" __global__ void ${entry}(${grad ? 'float' : kind === 'argmax' ? 'int' : 'T'}* __restrict__ out, const T* __restrict__ x, const float* __restrict__ dy,
    unsigned long long n, ${PARAMS}, int withBatch) {
  for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x) {${body}
  }
}
`;
  return { source, entry };
}
