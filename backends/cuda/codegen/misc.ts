/**
 * Kernels of one op each, tfjs-backend-cpu's arithmetic (double, stored as float32), one thread per output element:
 * LRN and its gradient over the channels of NHWC, Dilation2D and its two gradients (atomicAdd at each window's
 * maximum, cpu's first strict maximum), and Multinomial (inverse-CDF sampling with a counter-based generator).
 */
import { PRELUDE } from './prelude.ts';

const LOOP = 'for (unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)';

/** LRN: y = x · (bias + alpha · Σ x² over channels c−r..c+r)^−beta. Params: out, x, n, channels, radius, bias, alpha, beta. */
export function lrnSource(): { source: string; entry: string } {
  const entry = 'fb_lrn';
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, unsigned long long n, int channels, int radius, double bias, double alpha, double beta) {
  ${LOOP} {
    const long long c = (long long)(i % (unsigned long long)channels), base = (long long)i - c;
    const long long lo = base + (c - radius > 0 ? c - radius : 0), hi = base + (c + radius < channels - 1 ? c + radius : channels - 1);
    double s = 0;
    for (long long k = lo; k <= hi; ++k) { const double z = x[k]; s += z * z; }
    out[i] = (float)(x[i] * pow(bias + alpha * s, -beta));
  }
}
` };
}

/**
 * LRNGrad, gathered: dx[k] = Σ over channels o of k's pixel with |c(o) − c(k)| ≤ r of
 * dy[o] · (−2·alpha·beta·x[k]·y[o] / norm(o) + (o = k ? norm(o)^−beta : 0)), norm(o) = alpha·Σ_window(o) x² + bias.
 * Params: out, x, y, dy, n, channels, radius, bias, alpha, beta.
 */
export function lrnGradSource(): { source: string; entry: string } {
  const entry = 'fb_lrn_grad';
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ y, const float* __restrict__ dy,
    unsigned long long n, int channels, int radius, double bias, double alpha, double beta) {
  ${LOOP} {
    const long long ck = (long long)(i % (unsigned long long)channels), base = (long long)i - ck;
    double acc = 0;
    const long long olo = ck - radius > 0 ? ck - radius : 0, ohi = ck + radius < channels - 1 ? ck + radius : channels - 1;
    for (long long co = olo; co <= ohi; ++co) {
      const long long o = base + co;
      const long long lo = base + (co - radius > 0 ? co - radius : 0), hi = base + (co + radius + 1 < channels ? co + radius + 1 : channels);
      double norm = 0;
      for (long long k = lo; k < hi; ++k) norm += (double)x[k] * x[k];
      norm = alpha * norm + bias;
      double d = -2.0 * alpha * beta * x[i] * y[o] / norm;
      if (o == (long long)i) d += pow(norm, -beta);
      acc += d * dy[o];
    }
    out[i] = (float)acc;
  }
}
` };
}

export const DILATION_FIELDS = ['batch', 'inH', 'inW', 'ch', 'outH', 'outW', 'fH', 'fW', 'sH', 'sW', 'dH', 'dW', 'padT', 'padL'] as const;
export type DilationFields = Record<(typeof DILATION_FIELDS)[number], number>;

/**
 * Dilation2D (kind 'forward': out = max over the window of x + filter, from Number.MIN_SAFE_INTEGER as cpu) and its
 * gradients ('input' / 'filter': dy added at the window's first strict maximum, into a zeroed dx or dfilter; the
 * dx and dfilter outputs are float32, as the kernels here take float32 inputs).
 * Params: out, x, filter, dy, n (outputs: batch·outH·outW·ch), then DILATION_FIELDS.
 */
export function dilationSource(kind: 'forward' | 'input' | 'filter'): { source: string; entry: string } {
  const entry = `fb_dilation2d_${kind}`;
  const params = DILATION_FIELDS.map((f) => `int ${f}`).join(', ');
  // cpu's defaults when no tap is in range: the window's clamped corner for dx, tap (0, 0) for dfilter.
  const finish = kind === 'forward' ? 'out[i] = (float)best;'
    : kind === 'input' ? 'atomicAdd(out + ((b * inH + bh) * inW + bw) * ch + c, dy[i]);'
    : 'atomicAdd(out + (fh0 * fW + fw0) * ch + c, dy[i]);';
  return { entry, source: `${PRELUDE}
extern "C" __global__ void ${entry}(float* __restrict__ out, const float* __restrict__ x, const float* __restrict__ f, const float* __restrict__ dy,
    unsigned long long n, ${params}) {
  ${LOOP} {
    long long r = (long long)i;
    const long long c = r % ch; r /= ch; const long long ow = r % outW; r /= outW; const long long oh = r % outH; const long long b = r / outH;
    double best = -9007199254740991.0;
    long long bh = oh * sH - padT, bw = ow * sW - padL, fh0 = 0, fw0 = 0;
    if (bh < 0) bh = 0;
    if (bw < 0) bw = 0;
    for (long long h = 0; h < fH; ++h) {
      const long long ih = oh * sH - padT + h * dH; if (ih < 0 || ih >= inH) continue;
      for (long long w = 0; w < fW; ++w) {
        const long long iw = ow * sW - padL + w * dW; if (iw < 0 || iw >= inW) continue;
        const double v = (double)x[((b * inH + ih) * inW + iw) * ch + c] + (double)f[(h * fW + w) * ch + c];
        if (v > best) { best = v; bh = ih; bw = iw; fh0 = h; fw0 = w; }
      }
    }
    (void)fh0; (void)fw0; (void)bw;
    ${finish}
  }
}
` };
}

/**
 * Multinomial: out[b, s] = the first event whose running CDF exceeds u(seed, b, s), else the last event; the CDF is
 * accumulated in float32 as cpu's Float32Array, over probabilities (normalized) or softmax(logits).
 * u is uniform in [0, 1) from SplitMix64 over (seed bits, b, s): deterministic for a seed, as tfjs's tests need.
 * Params: out, logits, n, events, samples, normalized, seedBits (u64).
 */
export function multinomialSource(): { source: string; entry: string } {
  const entry = 'fb_multinomial';
  return { entry, source: `${PRELUDE}
__device__ __forceinline__ unsigned long long fb_splitmix(unsigned long long z) {
  z += 0x9e3779b97f4a7c15ull; z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull; z = (z ^ (z >> 27)) * 0x94d049bb133111ebull; return z ^ (z >> 31);
}
extern "C" __global__ void ${entry}(int* __restrict__ out, const float* __restrict__ logits, unsigned long long n, int events, int samples, int normalized, unsigned long long seed) {
  ${LOOP} {
    const long long b = (long long)(i / (unsigned long long)samples), s = (long long)(i % (unsigned long long)samples);
    const float* p = logits + b * events;
    double mx = -1e300, sum = 1.0;
    if (!normalized) {
      for (int e = 0; e < events; ++e) mx = p[e] > mx ? p[e] : mx;
      sum = 0; for (int e = 0; e < events; ++e) sum += exp((double)p[e] - mx);
    }
    const unsigned long long h = fb_splitmix(seed ^ fb_splitmix(((unsigned long long)b << 32) ^ (unsigned long long)s));
    const double u = (double)(h >> 11) * (1.0 / 9007199254740992.0);
    int pick = events - 1;
    float cdf = 0.f;
    for (int e = 0; e < events - 1; ++e) {
      const float pe = normalized ? p[e] : (float)(exp((double)p[e] - mx) / sum);
      cdf = cdf + pe;
      if (u < cdf) { pick = e; break; }
    }
    out[i] = pick;
  }
}
` };
}
