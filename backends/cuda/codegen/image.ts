/**
 * Image kernels in NHWC, one thread per output element, each tfjs-backend-cpu's arithmetic in double (JavaScript's
 * numbers) and stored as float32: ResizeBilinear, ResizeNearestNeighbor and their gradients, CropAndResize,
 * RotateWithOffset and Transform. JavaScript's Math.round is floor(x + 0.5).
 * Shape arguments first: batch, inH, inW, ch, outH, outW (ints), then each kernel's own.
 */
import { PRELUDE } from './prelude.ts';

export type ImageKernel = 'resizeBilinear' | 'resizeNearest' | 'resizeBilinearGrad' | 'resizeNearestGrad' | 'cropAndResize' | 'rotate' | 'transform';

const HEAD = 'unsigned long long n, int batch, int inH, int inW, int ch, int outH, int outW';
const DECODE = `
    long long r = (long long)i;
    const long long c = r % ch; r /= ch; const long long ox = r % outW; r /= outW; const long long oy = r % outH; const long long b = r / outH;`;
const LOOP = 'for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)';

const BODIES: Record<ImageKernel, { params: string; body: string }> = {
  // Params after the shape: alignCorners, halfPixelCenters. (outH/outW: the new size.)
  resizeBilinear: {
    params: 'float* __restrict__ out, const float* __restrict__ x',
    body: `${DECODE}
    const double rr = (align && outH > 1) ? (double)(inH - 1) / (outH - 1) : (double)inH / outH;
    const double cr = (align && outW > 1) ? (double)(inW - 1) / (outW - 1) : (double)inW / outW;
    const double fr = half ? rr * (oy + 0.5) - 0.5 : rr * oy;
    const double fc = half ? cr * (ox + 0.5) - 0.5 : cr * ox;
    const long long r0 = max(0LL, (long long)floor(fr)), r1 = min((long long)inH - 1, (long long)ceil(fr));
    const long long c0 = max(0LL, (long long)floor(fc)), c1 = min((long long)inW - 1, (long long)ceil(fc));
    const double rf = fr - r0, cf = fc - c0;
    const float* p = x + b * inH * inW * ch + c;
    const double tl = p[(r0 * inW + c0) * ch], tr = p[(r0 * inW + c1) * ch], bl = p[(r1 * inW + c0) * ch], br = p[(r1 * inW + c1) * ch];
    const double top = tl + (tr - tl) * cf, bot = bl + (br - bl) * cf;
    out[i] = (float)(top + (bot - top) * rf);`,
  },
  resizeNearest: {
    params: 'unsigned int* __restrict__ out, const unsigned int* __restrict__ x',
    body: `${DECODE}
    const double rr = (align && outH > 1) ? (double)(inH - 1) / (outH - 1) : (double)inH / outH;
    const double cr = (align && outW > 1) ? (double)(inW - 1) / (outW - 1) : (double)inW / outW;
    const double fr = half ? rr * (oy + 0.5) : rr * oy;
    const double fc = half ? cr * (ox + 0.5) : cr * ox;
    long long sr = min((long long)inH - 1, (long long)(align ? floor(fr + 0.5) : floor(fr)));
    long long sc = min((long long)inW - 1, (long long)(align ? floor(fc + 0.5) : floor(fc)));
    if (half) { sr = max(0LL, sr); sc = max(0LL, sc); }
    out[i] = x[((b * inH + sr) * inW + sc) * ch + c];`,
  },
  // dx (shape of the image: inH × inW) from dy (outH × outW): each dy element adds its four bilinear weights.
  resizeBilinearGrad: {
    params: 'float* __restrict__ out, const float* __restrict__ dy',
    body: `${DECODE}
    const double hs = (align && outH > 1) ? (double)(inH - 1) / (outH - 1) : (double)inH / outH;
    const double ws = (align && outW > 1) ? (double)(inW - 1) / (outW - 1) : (double)inW / outW;
    const double dr = oy * hs, dc = ox * ws;
    const long long t = (long long)floor(dr), bo = min((long long)ceil(dr), (long long)inH - 1);
    const long long l = (long long)floor(dc), ri = min((long long)ceil(dc), (long long)inW - 1);
    const double rl = dr - t, cl = dc - l;
    const double v = dy[i];
    float* p = out + b * inH * inW * ch + c;
    atomicAdd(p + (t * inW + l) * ch, (float)(v * (1.0 - rl) * (1.0 - cl)));
    atomicAdd(p + (t * inW + ri) * ch, (float)(v * (1.0 - rl) * cl));
    atomicAdd(p + (bo * inW + l) * ch, (float)(v * rl * (1.0 - cl)));
    atomicAdd(p + (bo * inW + ri) * ch, (float)(v * rl * cl));`,
  },
  // dx[b, r, c] (outH × outW here = the image) = Σ dy[b, y, x] over the dy positions whose nearest source is (r, c).
  resizeNearestGrad: {
    params: 'float* __restrict__ out, const float* __restrict__ dy, int dyH, int dyW',
    body: `${DECODE}
    const double hs = (align && dyH > 1) ? (double)(outH - 1) / (dyH - 1) : (double)outH / dyH;
    const double ws = (align && dyW > 1) ? (double)(outW - 1) / (dyW - 1) : (double)outW / dyW;
    const double ih = 1.0 / hs, iw = 1.0 / ws;
    const long long winH = (long long)ceil(ih) * 2 + 2, winW = (long long)ceil(iw) * 2 + 2;
    const long long startR = (long long)floor(floor(oy * ih) - winH / 2.0), startC = (long long)floor(floor(ox * iw) - winW / 2.0);
    double acc = 0;
    for (long long a = 0; a < winH; ++a) {
      const long long yr = startR + a; if (yr < 0 || yr >= dyH) continue;
      const double sr = yr * hs;
      if (min((long long)outH - 1, (long long)(align ? floor(sr + 0.5) : floor(sr))) != oy) continue;
      for (long long e = 0; e < winW; ++e) {
        const long long yc = startC + e; if (yc < 0 || yc >= dyW) continue;
        const double sc = yc * ws;
        if (min((long long)outW - 1, (long long)(align ? floor(sc + 0.5) : floor(sc))) == ox) acc += dy[((b * dyH + yr) * dyW + yc) * ch + c];
      }
    }
    out[i] = (float)acc;`,
  },
  // batch here = number of boxes; inH/inW the image's; params: boxes, boxInd, imageBatch, nearest, extrapolation.
  cropAndResize: {
    params: 'float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ boxes, const int* __restrict__ boxInd, int imageBatch, int nearest, float extrapolation',
    body: `${DECODE}
    const int bi = boxInd[b];
    if (bi >= imageBatch) continue;
    const double y1 = boxes[b * 4], x1 = boxes[b * 4 + 1], y2 = boxes[b * 4 + 2], x2 = boxes[b * 4 + 3];
    const double hsc = outH > 1 ? (y2 - y1) * (inH - 1) / (outH - 1) : 0.0;
    const double wsc = outW > 1 ? (x2 - x1) * (inW - 1) / (outW - 1) : 0.0;
    const double yi = outH > 1 ? y1 * (inH - 1) + oy * hsc : 0.5 * (y1 + y2) * (inH - 1);
    const double xi = outW > 1 ? x1 * (inW - 1) + ox * wsc : 0.5 * (x1 + x2) * (inW - 1);
    if (yi < 0 || yi > inH - 1 || xi < 0 || xi > inW - 1) { out[i] = extrapolation; continue; }
    const float* p = x + (long long)bi * inH * inW * ch + c;
    if (nearest) { out[i] = p[((long long)floor(yi + 0.5) * inW + (long long)floor(xi + 0.5)) * ch]; continue; }
    const long long t = (long long)floor(yi), bo = (long long)ceil(yi), l = (long long)floor(xi), ri = (long long)ceil(xi);
    const double yl = yi - t, xl = xi - l;
    const double tl = p[(t * inW + l) * ch], tr = p[(t * inW + ri) * ch], bl = p[(bo * inW + l) * ch], br = p[(bo * inW + ri) * ch];
    const double top = tl + (tr - tl) * xl, bot = bl + (br - bl) * xl;
    out[i] = (float)(top + (bot - top) * yl);`,
  },
  // Params: sin, cos, centerX, centerY, fill0..2, fillPerChannel (channel 3 → 255 then).
  rotate: {
    params: 'unsigned int* __restrict__ out, const unsigned int* __restrict__ x, int isInt, double sn, double cs, double cx, double cy, double f0, double f1, double f2, int perChannel',
    body: `${DECODE}
    const double dx = (double)ox - cx, dy = (double)oy - cy;
    const long long sx = (long long)floor(dx * cs - dy * sn + cx + 0.5), sy = (long long)floor(dx * sn + dy * cs + cy + 0.5);
    if (sx >= 0 && sx < inW && sy >= 0 && sy < inH) { out[i] = x[((b * inH + sy) * inW + sx) * ch + c]; continue; }
    const double fv = !perChannel ? f0 : (c == 3 ? 255.0 : (c == 0 ? f0 : (c == 1 ? f1 : f2)));
    out[i] = isInt ? (unsigned int)fb_d2i(fv) : __float_as_uint((float)fv);`,
  },
  // Params: transforms [1 or batch, 8], oneTransform, bilinear, fillMode (0 constant, 1 reflect, 2 wrap, 3 nearest), fill.
  transform: {
    params: 'float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ tr, int oneTransform, int bilinear, int fillMode, float fill',
    body: `${DECODE}
    const float* t = tr + (oneTransform ? 0 : b * 8);
    const double proj = (double)t[6] * ox + (double)t[7] * oy + 1.0;
    if (proj == 0) { out[i] = fill; continue; }
    const double ix = ((double)t[0] * ox + (double)t[1] * oy + t[2]) / proj;
    const double iy = ((double)t[3] * ox + (double)t[4] * oy + t[5]) / proj;
    const double mx = fb_map_coord(ix, inW, fillMode), my = fb_map_coord(iy, inH, fillMode);
    const float* p = x + b * inH * inW * ch + c;
    if (!bilinear) { out[i] = (float)fb_read(p, inH, inW, ch, (long long)floor(my + 0.5), (long long)floor(mx + 0.5), fill); continue; }
    const double yf = floor(my), xf = floor(mx), yc = yf + 1, xc = xf + 1;
    const double vyf = (xc - mx) * fb_read(p, inH, inW, ch, (long long)yf, (long long)xf, fill) + (mx - xf) * fb_read(p, inH, inW, ch, (long long)yf, (long long)xc, fill);
    const double vyc = (xc - mx) * fb_read(p, inH, inW, ch, (long long)yc, (long long)xf, fill) + (mx - xf) * fb_read(p, inH, inW, ch, (long long)yc, (long long)xc, fill);
    out[i] = (float)((yc - my) * vyf + (my - yf) * vyc);`,
  },
};

/** Transform's helpers: cpu's mapCoord (reflect, wrap, nearest, constant) and its read with the fill value. */
const TRANSFORM_HELPERS = `
__device__ __forceinline__ double fb_clamp(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }
__device__ double fb_map_coord(double c, long long len, int mode) {
  if (mode == 1) {
    if (c < 0) {
      if (len <= 1) c = 0;
      else { const double sz2 = 2.0 * len; if (c < sz2) c = sz2 * trunc(-c / sz2) + c; c = c < -len ? c + sz2 : -c - 1; }
    } else if (c > len - 1) {
      if (len <= 1) c = 0;
      else { const double sz2 = 2.0 * len; c -= sz2 * trunc(c / sz2); if (c >= len) c = sz2 - c - 1; }
    }
    return fb_clamp(c, 0, len - 1);
  }
  if (mode == 2) {
    if (c < 0) { if (len <= 1) c = 0; else { const double sz = len - 1; c += len * (trunc(-c / sz) + 1); } }
    else if (c > len - 1) { if (len <= 1) c = 0; else { const double sz = len - 1; c -= len * trunc(c / sz); } }
    return fb_clamp(c, 0, len - 1);
  }
  if (mode == 3) return fb_clamp(c, 0, len - 1);
  return c;
}
__device__ __forceinline__ double fb_read(const float* p, long long h, long long w, long long ch, long long y, long long x, float fill) {
  return (0 <= y && y < h && 0 <= x && x < w) ? (double)p[(y * w + x) * ch] : (double)fill;
}`;

export function imageSource(kind: ImageKernel): { source: string; entry: string } {
  const entry = `fb_image_${kind}`;
  const { params, body } = BODIES[kind];
  const extra = kind.startsWith('resize') ? ', int align, int half' : '';
  const source = `${PRELUDE}
${kind === 'transform' ? TRANSFORM_HELPERS : ''}
extern "C" __global__ void ${entry}(${params}, ${HEAD}${extra}) {
  ${LOOP} {${body}
  }
}
`;
  return { source, entry };
}
