// Kernels under fb_emulate.h: a shared-memory tree sum (barriers in a loop, a warp shuffle); one where lane 0 waits in
// a warp shuffle while the other lanes wait at __syncthreads for it: a hang on a GPU, which the emulation reports as a
// deadlock and aborts; and a thread-block cluster whose blocks read each other's shared memory between cluster
// barriers (without the last barrier a block reads the shared memory of a block that has exited: NaN here).
// Usage: ./a.out sum | ./a.out divergent | ./a.out cluster | ./a.out cluster-early-exit
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

constexpr unsigned CLUSTER = 4;

/* Each block writes 100·blockIdx.x + t into its shared memory; after the cluster barrier, thread t reads element t
   of the next block (by rank) in its cluster; the last barrier keeps every block's shared memory until all have read. */
__global__ void cluster_ring(float* out, int lastSync) {
  float* s = fb_emulate_dynamic_smem();
  s[threadIdx.x] = 100.f * blockIdx.x + threadIdx.x;
  fb_cluster_sync();
  const fb_dsmem peer = fb_dsmem_map(s, (fb_cluster_rank() + 1) % CLUSTER);
  out[blockIdx.x * blockDim.x + threadIdx.x] = fb_dsmem_ld(peer, threadIdx.x);
  if (lastSync) fb_cluster_sync();
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "sum";
  if (std::strcmp(mode, "divergent") == 0) {
    std::vector<float> out(64);
    fb_emulate_launch(divergent, dim3{1, 1, 1}, 64, 0, 1u, out.data());
    std::printf("no deadlock\n");
    return 0;
  }
  if (std::strncmp(mode, "cluster", 7) == 0) {
    // Two clusters of four 64-thread blocks: prints got and want per element, one line each.
    const unsigned blocks = 2 * CLUSTER, threads = 64;
    std::vector<float> out(blocks * threads, -1.f);
    fb_emulate_launch(cluster_ring, dim3{blocks, 1, 1}, static_cast<int>(threads), threads * sizeof(float), CLUSTER, out.data(),
                      std::strcmp(mode, "cluster") == 0 ? 1 : 0);
    for (unsigned b = 0; b < blocks; ++b)
      for (unsigned t = 0; t < threads; ++t) {
        const unsigned peer = b / CLUSTER * CLUSTER + (b % CLUSTER + 1) % CLUSTER;
        std::printf("%g %g\n", static_cast<double>(out[b * threads + t]), 100.0 * peer + t);
      }
    return 0;
  }
  const int blocks = 3, n = 1000;
  std::vector<float> in(blocks * n), out(blocks, -1.f);
  for (int i = 0; i < blocks * n; ++i) in[i] = static_cast<float>(i % 7);
  fb_emulate_launch(tree_sum, dim3{blocks, 1, 1}, 256, 0, 1u, out.data(), static_cast<const float*>(in.data()), n);
  for (int b = 0; b < blocks; ++b) {
    double want = 0;
    for (int i = 0; i < n; ++i) want += in[b * n + i];
    std::printf("%g %g\n", static_cast<double>(out[b]), want);
  }
  return 0;
}
