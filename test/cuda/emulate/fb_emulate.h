// CPU emulation of the CUDA features fusebench's generated kernels use, so a kernel's indexing, masking and
// synchronisation can be checked on a machine without a GPU (test/cuda/sdpa-emulate.test.ts).
// One std::thread per CUDA thread, blocks (or, for a kernel with a cluster, the blocks of one cluster together) run
// one after another; __syncthreads, __syncwarp, the cluster barrier and the warp shuffles are barriers; a block
// reads another's shared memory in its cluster through the mapped pointer; cp.async copies wait in per-thread groups until cp.async.wait_group lets them land
// (so a missing wait shows as stale data); mma.sync gathers the warp's fragments with the PTX layouts.
// Not a timing model, and not a data-race detector beyond what the deferred copies expose.
#pragma once
#include <barrier>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#define FB_EMULATE 1
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __cluster_dims__(x, y, z)
#define __shared__ static  /* blocks run one at a time: a function-level static is the block's shared memory */

struct dim3 { unsigned x = 0, y = 0, z = 0; };
struct alignas(16) float4 { float x, y, z, w; };
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
struct alignas(8) float2 { float x, y; };
inline float2 make_float2(float x, float y) { return float2{x, y}; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __int_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned i; std::memcpy(&i, &f, 4); return i; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }

namespace fb_emu {
struct Warp {
  std::barrier<> bar{32};
  float xf[32];
  unsigned a[32][4], b[32][2];
};
struct Block {
  explicit Block(int threads, size_t smemBytes)
      : bar(threads), smem(static_cast<float*>(std::aligned_alloc(64, (smemBytes + 63) / 64 * 64 + 64)), std::free) {
    for (int w = 0; w < (threads + 31) / 32; ++w) warps.emplace_back(std::make_unique<Warp>());
    std::memset(smem.get(), 0xff, smemBytes);  // NaN: a read of shared memory nobody wrote shows in the result
  }
  std::barrier<> bar;
  std::unique_ptr<float, void (*)(void*)> smem;
  std::vector<std::unique_ptr<Warp>> warps;
};
struct Copy { void* dst; const void* src; int bytes, srcBytes; };
struct Cluster {
  explicit Cluster(int threads) : bar(threads) {}
  std::barrier<> bar;
  std::vector<Block*> blocks;
};
inline thread_local Block* block = nullptr;
inline thread_local Cluster* cluster = nullptr;
inline thread_local unsigned clusterRank = 0;
inline thread_local std::vector<std::vector<Copy>> groups;  // committed groups, oldest first
inline thread_local std::vector<Copy> open;                  // copies since the last commit
inline Warp& warp();
}  // namespace fb_emu

inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

inline fb_emu::Warp& fb_emu::warp() { return *block->warps[threadIdx.x / 32]; }
inline float* fb_emulate_dynamic_smem() { return fb_emu::block->smem.get(); }
inline void __syncthreads() { fb_emu::block->bar.arrive_and_wait(); }
inline void __syncwarp(unsigned = 0xffffffffu) { fb_emu::warp().bar.arrive_and_wait(); }
inline float __shfl_xor_sync(unsigned, float v, int mask) {
  auto& w = fb_emu::warp();
  const int lane = threadIdx.x & 31;
  w.xf[lane] = v;
  w.bar.arrive_and_wait();
  const float r = w.xf[lane ^ mask];
  w.bar.arrive_and_wait();
  return r;
}
inline int __shfl_xor_sync(unsigned m, int v, int mask) {  // through the float slots, bit for bit
  float f;
  std::memcpy(&f, &v, 4);
  f = __shfl_xor_sync(m, f, mask);
  std::memcpy(&v, &f, 4);
  return v;
}

/* Thread-block clusters: the rank, the barrier, and another block's shared memory at the same offset. */
inline unsigned fb_cluster_rank() { return fb_emu::clusterRank; }
inline void fb_cluster_sync() { fb_emu::cluster->bar.arrive_and_wait(); }
typedef const float* fb_dsmem;
inline fb_dsmem fb_dsmem_map(const float* p, unsigned rank) {
  return fb_emu::cluster->blocks.at(rank)->smem.get() + (p - fb_emu::block->smem.get());
}
inline float fb_dsmem_ld(fb_dsmem a, int i) { return a[i]; }
inline float4 fb_dsmem_ld4(fb_dsmem a, int i) { return float4{a[i], a[i + 1], a[i + 2], a[i + 3]}; }

inline void fb_emu_cp(void* dst, const void* src, int bytes, bool valid) { fb_emu::open.push_back({dst, src, bytes, valid ? bytes : 0}); }
inline void fb_cp16(float* dst, const float* src, bool valid) { fb_emu_cp(dst, src, 16, valid); }
inline void fb_cp4(float* dst, const float* src, bool valid) { fb_emu_cp(dst, src, 4, valid); }
inline void fb_cp_commit() { fb_emu::groups.push_back(std::move(fb_emu::open)); fb_emu::open.clear(); }
template <int N> inline void fb_cp_wait() {
  auto& g = fb_emu::groups;
  while (g.size() > static_cast<size_t>(N)) {
    for (const auto& c : g.front()) {
      std::memcpy(c.dst, c.src, c.srcBytes);
      std::memset(static_cast<char*>(c.dst) + c.srcBytes, 0, c.bytes - c.srcBytes);
    }
    g.erase(g.begin());
  }
}
/* cvt.rna.tf32.f32: round to nearest on the 10-bit mantissa, ties away from zero (finite inputs). */
inline unsigned fb_tf32(float x) { return (__float_as_uint(x) + 0x1000u) & 0xffffe000u; }
/* mma.sync.m16n8k8.row.col f32.tf32.tf32.f32 with the PTX fragment layouts (g = lane / 4, t = lane % 4):
   a0 A[g][t], a1 A[g+8][t], a2 A[g][t+4], a3 A[g+8][t+4]; b0 B[t][g], b1 B[t+4][g];
   c0 C[g][2t], c1 C[g][2t+1], c2 C[g+8][2t], c3 C[g+8][2t+1]. */
inline void fb_mma_tf32(float* c, unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0, unsigned b1) {
  auto& w = fb_emu::warp();
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  w.a[lane][0] = a0; w.a[lane][1] = a1; w.a[lane][2] = a2; w.a[lane][3] = a3;
  w.b[lane][0] = b0; w.b[lane][1] = b1;
  w.bar.arrive_and_wait();
  float A[16][8], B[8][8];
  for (int l = 0; l < 32; ++l) {
    const int lg = l >> 2, lt = l & 3;
    A[lg][lt] = __uint_as_float(w.a[l][0]); A[lg + 8][lt] = __uint_as_float(w.a[l][1]);
    A[lg][lt + 4] = __uint_as_float(w.a[l][2]); A[lg + 8][lt + 4] = __uint_as_float(w.a[l][3]);
    B[lt][lg] = __uint_as_float(w.b[l][0]); B[lt + 4][lg] = __uint_as_float(w.b[l][1]);
  }
  w.bar.arrive_and_wait();
  const int rows[4] = {g, g, g + 8, g + 8}, cols[4] = {2 * t, 2 * t + 1, 2 * t, 2 * t + 1};
  for (int e = 0; e < 4; ++e) {
    float acc = c[e];
    for (int kk = 0; kk < 8; ++kk) acc = std::fma(A[rows[e]][kk], B[kk][cols[e]], acc);
    c[e] = acc;
  }
}

/* Runs kernel(args...) over grid × block threads; smemBytes of dynamic shared memory per block; clusters of
   `clusterX` blocks along x (grid.x a multiple of it) run together. */
template <typename... Args>
void fb_emulate_launch(void (*kernel)(Args...), dim3 grid, int threads, size_t smemBytes, unsigned clusterX, Args... args) {
  blockDim = dim3{static_cast<unsigned>(threads), 1, 1};
  gridDim = grid;
  if (clusterX == 0 || grid.x % clusterX != 0) { std::fprintf(stderr, "grid.x %u is not a multiple of the cluster %u\n", grid.x, clusterX); std::abort(); }
  for (unsigned by = 0; by < grid.y; ++by)
    for (unsigned bx0 = 0; bx0 < grid.x; bx0 += clusterX) {
      fb_emu::Cluster cl(threads * static_cast<int>(clusterX));
      std::vector<std::unique_ptr<fb_emu::Block>> blks;
      for (unsigned r = 0; r < clusterX; ++r) {
        blks.emplace_back(std::make_unique<fb_emu::Block>(threads, smemBytes));
        cl.blocks.push_back(blks.back().get());
      }
      std::vector<std::thread> ts;
      for (unsigned r = 0; r < clusterX; ++r)
        for (int t = 0; t < threads; ++t)
          ts.emplace_back([&, r, t] {
            fb_emu::block = blks[r].get();
            fb_emu::cluster = &cl;
            fb_emu::clusterRank = r;
            threadIdx = dim3{static_cast<unsigned>(t), 0, 0};
            blockIdx = dim3{bx0 + r, by, 0};
            kernel(args...);
          });
      for (auto& th : ts) th.join();
    }
}
