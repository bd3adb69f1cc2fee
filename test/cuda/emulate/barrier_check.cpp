// Two kernels under fb_emulate.h: a shared-memory tree sum (barriers in a loop, a warp shuffle), and one where lane 0
// waits in a warp shuffle while the other lanes wait at __syncthreads for it: a hang on a GPU, which the emulation
// reports as a deadlock and aborts. Usage: ./a.out sum | ./a.out divergent
#include "fb_emulate.h"
#include <cstdio>
#include <cstring>

__global__ void tree_sum(float* out, const float* in, int n) {
  __shared__ float s[256];
  float v = 0.f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) v += in[blockIdx.x * n + i];
  s[threadIdx.x] = v;
  __syncthreads();
  for (unsigned k = blockDim.x / 2; k >= 32; k >>= 1) {
    if (threadIdx.x < k) s[threadIdx.x] += s[threadIdx.x + k];
    __syncthreads();
  }
  if (threadIdx.x < 32) {
    float w = s[threadIdx.x];
    for (int o = 16; o > 0; o >>= 1) w += __shfl_xor_sync(0xffffffffu, w, o);
    if (threadIdx.x == 0) out[blockIdx.x] = w;
  }
}

__global__ void divergent(float* out) {
  float v = 1.f;
  if (threadIdx.x == 0) v = __shfl_xor_sync(0xffffffffu, v, 1);
  else __syncthreads();
  out[threadIdx.x] = v;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "divergent") == 0) {
    std::vector<float> out(64);
    fb_emulate_launch(divergent, dim3{1, 1, 1}, 64, 0, out.data());
    std::printf("no deadlock\n");
    return 0;
  }
  const int blocks = 3, n = 1000;
  std::vector<float> in(blocks * n), out(blocks, -1.f);
  for (int i = 0; i < blocks * n; ++i) in[i] = static_cast<float>(i % 7);
  fb_emulate_launch(tree_sum, dim3{blocks, 1, 1}, 256, 0, out.data(), static_cast<const float*>(in.data()), n);
  for (int b = 0; b < blocks; ++b) {
    double want = 0;
    for (int i = 0; i < n; ++i) want += in[b * n + i];
    std::printf("%g %g\n", static_cast<double>(out[b]), want);
  }
  return 0;
}
