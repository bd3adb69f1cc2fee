/**
 * Device helpers shared by every generated source. Self-contained (no #include) so the same text
 * compiles under NVRTC and under nvcc (the CI check compiles every generated source to PTX).
 */
export const PRELUDE = String.raw`
#define FB_NAN __int_as_float(0x7fffffff)
/* JavaScript Math.min/Math.max semantics: NaN in, NaN out (fminf/fmaxf would drop it). */
__device__ __forceinline__ float fb_min(float a, float b) { return (a != a || b != b) ? FB_NAN : fminf(a, b); }
__device__ __forceinline__ float fb_max(float a, float b) { return (a != a || b != b) ? FB_NAN : fmaxf(a, b); }
__device__ __forceinline__ int fb_min(int a, int b) { return a < b ? a : b; }
__device__ __forceinline__ int fb_max(int a, int b) { return a > b ? a : b; }
__device__ __forceinline__ float fb_relu(float a) { return a < 0.f ? 0.f : a; }
__device__ __forceinline__ int fb_relu(int a) { return a < 0 ? 0 : a; }
__device__ __forceinline__ float fb_sigmoid(float a) { return 1.f / (1.f + expf(-a)); }
/*
 * float -> int32 as JavaScript stores a number in an Int32Array (ToInt32), which is what tfjs-backend-cpu's int32
 * results are: truncation; NaN and ±Infinity give 0; larger values wrap modulo 2^32 (a C cast would saturate).
 */
__device__ __forceinline__ int fb_f2i(float a) {
  if (fabsf(a) < 2147483648.f) return (int)a;
  if (!(fabsf(a) <= 3.402823466e38f)) return 0;
  return (int)(unsigned int)(long long)fmodf(truncf(a), 4294967296.f);
}
/* double -> int32 as JavaScript's ToInt32 (the int32 results tfjs-backend-cpu computes in doubles). */
__device__ __forceinline__ int fb_d2i(double a) {
  if (fabs(a) < 2147483648.0) return (int)a;
  if (!(fabs(a) <= 1.7976931348623157e308)) return 0;
  double m = fmod(trunc(a), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return (int)(unsigned int)m;
}
/* JavaScript's a % b (fmod), made to take b's sign as tfjs-backend-cpu's Mod does. */
__device__ __forceinline__ double fb_mod(double a, double b) {
  const double r = fmod(a, b);
  return ((a < 0 && b < 0) || (a >= 0 && b >= 0)) ? r : fmod(r + b, b);
}
/* tfjs-backend-cpu's Softplus in double: exp(x) below the low threshold, x above the high one, else log1p-free log(1 + e^x). */
__device__ __forceinline__ double fb_softplus(double x) {
  const double t = -13.942385152878742; /* log(2^-23) + 2 */
  return x < t ? exp(x) : (x > -t ? x : log(1.0 + exp(x)));
}
/*
 * Math.pow on int32 stored as int32 (tfjs-backend-cpu's int32 Pow): exact by squaring, wrapping as the store does;
 * a negative exponent gives 1/a^|b| truncated (0 unless a is ±1; Math.pow(0, -1) = Infinity stores as 0).
 */
__device__ __forceinline__ int fb_ipow(int a, int b) {
  if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) ? -1 : 1) : 0);
  unsigned int r = 1u, base = (unsigned int)a, e = (unsigned int)b;
  while (e) { if (e & 1u) r *= base; base *= base; e >>= 1; }
  return (int)r;
}

__device__ __forceinline__ float fb_warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
__device__ __forceinline__ int fb_warp_sum(int v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
__device__ __forceinline__ float fb_warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fb_max(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
__device__ __forceinline__ int fb_warp_max(int v) {
  for (int o = 16; o > 0; o >>= 1) v = fb_max(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
/* Block-wide reductions; every thread gets the result. 'scratch' holds 32 values. */
template <typename T>
__device__ __forceinline__ T fb_block_sum(T v, T* scratch) {
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
  v = fb_warp_sum(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < nw ? scratch[lane] : (T)0;
  return fb_warp_sum(v);
}
template <typename T>
__device__ __forceinline__ T fb_block_min(T v, T highest, T* scratch) {
  /* min(v) = -max(-v) would overflow INT_MIN; a shared-memory tree keeps it exact for every type. */
  __shared__ T tree[1024];
  tree[threadIdx.x] = v;
  __syncthreads();
  for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) tree[threadIdx.x] = fb_min(tree[threadIdx.x], tree[threadIdx.x + s]);
    __syncthreads();
  }
  const T r = tree[0];
  __syncthreads();
  (void)highest; (void)scratch;
  return r;
}
template <typename T>
__device__ __forceinline__ T fb_block_prod(T v, T* scratch) {
  __shared__ T tree[1024];
  tree[threadIdx.x] = v;
  __syncthreads();
  for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) tree[threadIdx.x] = tree[threadIdx.x] * tree[threadIdx.x + s];
    __syncthreads();
  }
  const T r = tree[0];
  __syncthreads();
  (void)scratch;
  return r;
}
template <typename T>
__device__ __forceinline__ T fb_block_max(T v, T lowest, T* scratch) {
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
  v = fb_warp_max(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < nw ? scratch[lane] : lowest;
  return fb_warp_max(v);
}
`;
