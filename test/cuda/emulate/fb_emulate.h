// CPU emulation of the CUDA features fusebench's generated kernels use, so a kernel's indexing, masking and
// synchronisation can be checked on a machine without a GPU: test/cuda/sdpa-emulate.test.ts (and the LayerNorm and
// depthwise checks) run one kernel, test/cuda/emulate/fake_cuda.cpp (the emulated libcuda/NVRTC/cuBLASLt) runs the
// whole cuda backend on it.
//
// Each CUDA thread is a fiber (ucontext) on the calling OS thread. Blocks run one after another; for a kernel with
// thread-block clusters, the blocks of one cluster run together (their fibers interleave), each with its own shared
// memory, and a block reads another's in its cluster through fb_dsmem_map (distributed shared memory).
// A fiber runs until it finishes or reaches a barrier (__syncthreads, __syncwarp, a warp shuffle, the cluster
// barrier), where it yields; a barrier opens when every live thread of the block (warp, cluster) has arrived. Threads
// that have exited count as arrived, as on sm_70+ for exited warps; like the hardware's barrier 0, __syncthreads
// counts arrivals whatever the call site. All threads waiting and none able to go on (e.g. one lane in a warp shuffle
// while the others wait at __syncthreads: a hang on a GPU) is a deadlock: reported, and the process aborts. Once every
// thread of a block of a cluster has exited, its shared memory reads as NaN (on a GPU it may be reused: a peer must
// not read it after the owner exits). cp.async copies wait in per-thread groups until cp.async.wait_group lets them
// land (so a missing wait shows as stale data); mma.sync gathers the warp's fragments with the PTX layouts. Fresh
// shared memory reads as NaN. `__shared__` variables declared in a kernel are function statics: one per kernel, so
// blocks of one cluster would share them; cluster kernels keep their shared memory in the dynamic allocation
// (fb_emulate_dynamic_smem). Not a timing model, and not a data-race detector beyond what the deferred copies
// expose: the schedule is deterministic.
#pragma once
#include <ucontext.h>
#include <sys/mman.h>
#include <math.h>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#define FB_EMULATE 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __launch_bounds__(...)
#define __cluster_dims__(x, y, z)  /* the launch gives the cluster (fb_emulate_launch, or fake_cuda.cpp from the declaration) */
#define __shared__ static  /* blocks run one at a time: a function-level static is the block's shared memory */
#define __align__(n) alignas(n)

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};
struct alignas(16) float4 { float x, y, z, w; };
struct alignas(16) int4 { int x, y, z, w; };
struct alignas(8) float2 { float x, y; };
struct alignas(8) int2 { int x, y; };
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
inline int4 make_int4(int x, int y, int z, int w) { return int4{x, y, z, w}; }
inline float2 make_float2(float x, float y) { return float2{x, y}; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __int_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned i; std::memcpy(&i, &f, 4); return i; }
inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __saturatef(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }
inline int __float2int_rn(float x) { return static_cast<int>(std::nearbyint(x)); }
inline int __float2int_rz(float x) { return static_cast<int>(x); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
template <typename T> inline T __ldg(const T* p) { return *p; }
inline void __threadfence() {}
inline void __threadfence_block() {}

inline dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace fb_emu {
struct Copy { void* dst; const void* src; int bytes, srcBytes; };
struct Block;
struct Fiber {
  ucontext_t ctx;
  dim3 tid, bid;
  Block* block = nullptr;
  unsigned rank = 0;  // the block's rank in its cluster
  bool done = false;
  std::vector<std::vector<Copy>> groups;  // committed cp.async groups, oldest first
  std::vector<Copy> open;                 // copies since the last commit
};
/* A barrier over `expected` live threads; exited threads leave it (expected shrinks). */
struct Barrier {
  unsigned expected = 0, arrived = 0, gen = 0;
};
struct Warp {
  Barrier bar;
  unsigned lanes = 32;
  uint64_t x[32];
  unsigned a[32][4], b[32][2];
};
struct Block {
  Barrier bar;
  std::vector<Warp> warps;
  std::vector<unsigned char> smem;
  unsigned live = 0;  // threads not yet exited
};
/* The blocks running together: a thread-block cluster, or one block for a kernel without clusters. */
struct Cluster {
  Barrier bar;
  std::vector<Block> blocks;
};

inline constexpr size_t STACK_BYTES = 256 << 10;
inline Block* block = nullptr;
inline Cluster* cluster = nullptr;
inline Fiber* current = nullptr;
inline ucontext_t scheduler;
inline std::vector<Fiber> fibers;
inline std::vector<char*> stacks;
inline const std::function<void()>* body = nullptr;
/* Bumped whenever a barrier opens or a thread exits: a scheduling round without it moving is a deadlock. */
inline unsigned long long progress = 0;

inline Warp& warp() { return block->warps[(threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)) / 32]; }
inline unsigned linearTid() { return threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z); }
inline void yield() { swapcontext(&current->ctx, &scheduler); }
inline void open(Barrier& b) { b.arrived = 0; ++b.gen; ++progress; }
inline void wait(Barrier& b) {
  const unsigned g = b.gen;
  if (++b.arrived >= b.expected) { open(b); return; }
  while (b.gen == g) yield();
}
/* A thread that exits no longer holds its block's and warp's barriers shut. */
inline void leave(Barrier& b) {
  --b.expected;
  if (b.arrived > 0 && b.arrived >= b.expected) open(b);
}
inline void trampoline() {
  (*body)();
  current->done = true;
  leave(block->bar);
  leave(warp().bar);
  leave(cluster->bar);
  if (--block->live == 0 && cluster->blocks.size() > 1) std::memset(block->smem.data(), 0xff, block->smem.size());
  ++progress;
}
inline char* stack(size_t i) {
  while (stacks.size() <= i) {
    void* p = mmap(nullptr, STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) { std::fprintf(stderr, "fb_emulate: cannot map a fiber stack\n"); std::abort(); }
    stacks.push_back(static_cast<char*>(p));
  }
  return stacks[i];
}

/* Runs `kernel` over grid × block threads with smemBytes of dynamic shared memory per block; clusters of
   `clusterX` blocks along x (grid.x a multiple of it) run together. */
inline void run(dim3 grid, dim3 blk, size_t smemBytes, unsigned clusterX, const std::function<void()>& kernel) {
  const unsigned threads = blk.x * blk.y * blk.z;
  if (threads == 0 || threads > 1024) { std::fprintf(stderr, "fb_emulate: block of %u threads\n", threads); std::abort(); }
  if (clusterX == 0 || grid.x % clusterX != 0) { std::fprintf(stderr, "fb_emulate: grid.x %u is not a multiple of the cluster %u\n", grid.x, clusterX); std::abort(); }
  blockDim = blk;
  gridDim = grid;
  body = &kernel;
  fibers.assign(static_cast<size_t>(threads) * clusterX, Fiber{});
  Cluster c;
  c.blocks.resize(clusterX);
  for (Block& b : c.blocks) {
    b.warps.resize((threads + 31) / 32);
    b.smem.assign((smemBytes + 63) / 64 * 64 + 64, 0xff);  // NaN: a read of shared memory nobody wrote shows in the result
  }
  cluster = &c;
  for (unsigned bz = 0; bz < grid.z; ++bz)
    for (unsigned by = 0; by < grid.y; ++by)
      for (unsigned bx0 = 0; bx0 < grid.x; bx0 += clusterX) {
        c.bar = Barrier{threads * clusterX, 0, 0};
        for (Block& b : c.blocks) {
          b.bar = Barrier{threads, 0, 0};
          b.live = threads;
          for (size_t w = 0; w < b.warps.size(); ++w) {
            b.warps[w].lanes = std::min(32u, threads - static_cast<unsigned>(w) * 32);
            b.warps[w].bar = Barrier{b.warps[w].lanes, 0, 0};
          }
          std::memset(b.smem.data(), 0xff, b.smem.size());
        }
        for (unsigned r = 0; r < clusterX; ++r)
          for (unsigned t = 0; t < threads; ++t) {
            const size_t i = static_cast<size_t>(r) * threads + t;
            Fiber& f = fibers[i];
            f = Fiber{};
            f.tid = dim3{t % blk.x, (t / blk.x) % blk.y, t / (blk.x * blk.y)};
            f.bid = dim3{bx0 + r, by, bz};
            f.block = &c.blocks[r];
            f.rank = r;
            getcontext(&f.ctx);
            f.ctx.uc_stack.ss_sp = stack(i);
            f.ctx.uc_stack.ss_size = STACK_BYTES;
            f.ctx.uc_link = &scheduler;
            makecontext(&f.ctx, trampoline, 0);
          }
        unsigned live = threads * clusterX;
        while (live > 0) {
          const unsigned long long before = progress;
          live = 0;
          for (auto& f : fibers) {
            if (f.done) continue;
            current = &f;
            block = f.block;
            threadIdx = f.tid;
            blockIdx = f.bid;
            swapcontext(&scheduler, &f.ctx);
            if (!f.done) ++live;
          }
          if (live > 0 && progress == before) {
            if (clusterX == 1) std::fprintf(stderr, "fb_emulate: deadlock in block (%u,%u,%u): %u thread(s) wait at a barrier the others never reach\n", bx0, by, bz, live);
            else std::fprintf(stderr, "fb_emulate: deadlock in the cluster of blocks (%u..%u,%u,%u): %u thread(s) wait at a barrier the others never reach\n", bx0, bx0 + clusterX - 1, by, bz, live);
            std::abort();
          }
        }
      }
  block = nullptr;
  cluster = nullptr;
  current = nullptr;
}
}  // namespace fb_emu

inline float* fb_emulate_dynamic_smem() { return reinterpret_cast<float*>(fb_emu::block->smem.data()); }
inline void __syncthreads() { fb_emu::wait(fb_emu::block->bar); }
inline void __syncwarp(unsigned = 0xffffffffu) { fb_emu::wait(fb_emu::warp().bar); }
inline int __syncthreads_or(int p) {
  static int any;
  __syncthreads();
  if (fb_emu::linearTid() == 0) any = 0;
  __syncthreads();
  if (p) any = 1;
  __syncthreads();
  const int r = any;
  __syncthreads();
  return r;
}

/* Warp exchange: every lane publishes its value, then reads lane `src(lane)`'s. */
template <typename T, typename Src>
inline T fb_emu_exchange(T v, Src src) {
  static_assert(sizeof(T) <= 8, "shuffle of a type wider than 64 bits");
  auto& w = fb_emu::warp();
  const unsigned lane = fb_emu::linearTid() & 31;
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  w.x[lane] = bits;
  __syncwarp();
  const unsigned from = src(lane);
  T r;
  const uint64_t got = w.x[from < w.lanes ? from : lane];
  std::memcpy(&r, &got, sizeof(T));
  __syncwarp();
  return r;
}
template <typename T> inline T __shfl_xor_sync(unsigned, T v, int mask, int = 32) { return fb_emu_exchange(v, [&](unsigned l) { return l ^ static_cast<unsigned>(mask); }); }
template <typename T> inline T __shfl_down_sync(unsigned, T v, unsigned d, int = 32) { return fb_emu_exchange(v, [&](unsigned l) { return l + d < 32 ? l + d : l; }); }
template <typename T> inline T __shfl_up_sync(unsigned, T v, unsigned d, int = 32) { return fb_emu_exchange(v, [&](unsigned l) { return l >= d ? l - d : l; }); }
template <typename T> inline T __shfl_sync(unsigned, T v, int src, int = 32) { return fb_emu_exchange(v, [&](unsigned) { return static_cast<unsigned>(src) & 31; }); }

/* Thread-block clusters: the block's rank, the cluster barrier, and another block's shared memory at the same offset. */
inline unsigned fb_cluster_rank() { return fb_emu::current->rank; }
inline void fb_cluster_sync() { fb_emu::wait(fb_emu::cluster->bar); }
typedef const float* fb_dsmem;
inline fb_dsmem fb_dsmem_map(const float* p, unsigned rank) {
  auto& blocks = fb_emu::cluster->blocks;
  if (rank >= blocks.size()) { std::fprintf(stderr, "fb_emulate: shared memory of rank %u mapped in a cluster of %zu blocks\n", rank, blocks.size()); std::abort(); }
  const auto offset = reinterpret_cast<const unsigned char*>(p) - fb_emu::block->smem.data();
  return reinterpret_cast<const float*>(blocks[rank].smem.data() + offset);
}
inline float fb_dsmem_ld(fb_dsmem a, int i) { return a[i]; }
inline float4 fb_dsmem_ld4(fb_dsmem a, int i) { return float4{a[i], a[i + 1], a[i + 2], a[i + 3]}; }

/* Atomics: fibers never interleave inside a statement, so a plain read-modify-write is atomic here. */
template <typename T> inline T atomicAdd(T* p, T v) { const T o = *p; *p = o + v; return o; }
template <typename T> inline T atomicMax(T* p, T v) { const T o = *p; if (v > o) *p = v; return o; }
template <typename T> inline T atomicMin(T* p, T v) { const T o = *p; if (v < o) *p = v; return o; }
template <typename T> inline T atomicExch(T* p, T v) { const T o = *p; *p = v; return o; }
template <typename T> inline T atomicCAS(T* p, T cmp, T v) { const T o = *p; if (o == cmp) *p = v; return o; }

inline void fb_emu_cp(void* dst, const void* src, int bytes, bool valid) { fb_emu::current->open.push_back({dst, src, bytes, valid ? bytes : 0}); }
inline void fb_cp16(float* dst, const float* src, bool valid) { fb_emu_cp(dst, src, 16, valid); }
inline void fb_cp4(float* dst, const float* src, bool valid) { fb_emu_cp(dst, src, 4, valid); }
inline void fb_cp_commit() {
  auto* f = fb_emu::current;
  f->groups.push_back(std::move(f->open));
  f->open.clear();
}
template <int N> inline void fb_cp_wait() {
  auto& g = fb_emu::current->groups;
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
  const int lane = fb_emu::linearTid() & 31, g = lane >> 2, t = lane & 3;
  w.a[lane][0] = a0; w.a[lane][1] = a1; w.a[lane][2] = a2; w.a[lane][3] = a3;
  w.b[lane][0] = b0; w.b[lane][1] = b1;
  __syncwarp();
  float A[16][8], B[8][8];
  for (int l = 0; l < 32; ++l) {
    const int lg = l >> 2, lt = l & 3;
    A[lg][lt] = __uint_as_float(w.a[l][0]); A[lg + 8][lt] = __uint_as_float(w.a[l][1]);
    A[lg][lt + 4] = __uint_as_float(w.a[l][2]); A[lg + 8][lt + 4] = __uint_as_float(w.a[l][3]);
    B[lt][lg] = __uint_as_float(w.b[l][0]); B[lt + 4][lg] = __uint_as_float(w.b[l][1]);
  }
  __syncwarp();
  const int rows[4] = {g, g, g + 8, g + 8}, cols[4] = {2 * t, 2 * t + 1, 2 * t, 2 * t + 1};
  for (int e = 0; e < 4; ++e) {
    float acc = c[e];
    for (int kk = 0; kk < 8; ++kk) acc = std::fma(A[rows[e]][kk], B[kk][cols[e]], acc);
    c[e] = acc;
  }
}

/* Runs kernel(args...) over a grid of `threads`-thread blocks; smemBytes of dynamic shared memory per block;
   clusters of `clusterX` blocks along x (grid.x a multiple of it; 1: no clusters) run together. */
template <typename... Args>
void fb_emulate_launch(void (*kernel)(Args...), dim3 grid, int threads, size_t smemBytes, unsigned clusterX, Args... args) {
  const std::function<void()> f = [&] { kernel(args...); };
  fb_emu::run(grid, dim3{static_cast<unsigned>(threads), 1, 1}, smemBytes, clusterX, f);
}

/* Runs a kernel with its arguments given as cuLaunchKernel gives them: an array of pointers to each value. */
template <typename... A, std::size_t... I>
inline void fb_emu_call(void (*k)(A...), void** p, std::index_sequence<I...>) {
  k(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(p[I])...);
}
template <typename... A>
void fb_emulate_launch_params(void (*kernel)(A...), dim3 grid, dim3 blk, size_t smemBytes, dim3 cluster, void** params) {
  if (cluster.y != 1 || cluster.z != 1) { std::fprintf(stderr, "fb_emulate: clusters along y or z (%u,%u,%u) are not emulated\n", cluster.x, cluster.y, cluster.z); std::abort(); }
  const std::function<void()> f = [&] { fb_emu_call(kernel, params, std::index_sequence_for<A...>{}); };
  fb_emu::run(grid, blk, smemBytes, cluster.x, f);
}

/* The cluster a kernel declares (__cluster_dims__ in its declaration): fake_cuda.cpp's launch wrapper expands the
   declaration's attributes as the arguments after the 0, with __cluster_dims__(x, y, z) giving `, dim3{x, y, z}`. */
namespace fb_emu {
constexpr dim3 declaredCluster(int) { return dim3{1, 1, 1}; }
constexpr dim3 declaredCluster(int, dim3 c) { return c; }
}  // namespace fb_emu
