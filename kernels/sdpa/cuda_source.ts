/**
 * CUDA source of FusebenchSDPA: out = softmax(q·kᵀ·scale)·v per head, q, k, v, out [BH, S, D] float32.
 *
 * The flash kernel (head dim D ≤ 128), FlashAttention-2's structure written for this project:
 * - a block of W warps owns BR = 16·W query rows, each warp 16 of them for the whole kernel (its running max m,
 *   sum l and output accumulator stay in its registers: no combine inside the block);
 * - K and V stream through shared memory in tiles of BC keys, double-buffered with cp.async (the next tile
 *   loads while this one is used), rows zero-filled past S and columns past D; every warp reads every tile, so a
 *   block moves K and V once per BR query rows (BR/2 FLOP per byte from L2);
 * - when BH × ceil(S/BR) blocks would leave the GPU's SMs idle, SPLIT > 1 blocks share one query tile, each taking
 *   1/SPLIT of the key tiles (flash-decoding's split), as one thread-block cluster (sm_90): the partial results
 *   (O unnormalised, m, l) meet through distributed shared memory at the end, so it stays one kernel with no
 *   workspace in global memory and no second launch.
 *
 * Three arithmetic paths, the same tiles and pipeline:
 * - `fp32`: FFMA on register tiles (each lane 4 rows × BC/8 keys of the scores, 4 rows × D/8 columns of the
 *   output, the same 4 rows in both so the softmax correction never leaves the lane), probabilities exchanged
 *   through a per-warp shared tile;
 * - `tf32`: mma.sync.m16n8k8 TF32 tensor-core products (inputs rounded to TF32, 10-bit mantissa), fp32
 *   accumulation; probabilities stay in registers (the accumulator layout of QKᵀ is reused as the A operand of
 *   P·V by numbering each 8-key block's keys 0,2,4,6,1,3,5,7, with V's rows read in the same order); at D ≤ 64
 *   the warp's Q fragments stay in registers for the whole kernel;
 * - `tf32x3`: the same mma with each operand split into a TF32 high part and a TF32 low part
 *   (a·b ≈ aₕbₕ + aₕbₗ + aₗbₕ), three products per step, close to fp32 accuracy (CUTLASS's "3xTF32", what
 *   PyTorch's fp32 memory-efficient attention runs on sm_80+).
 * Head dims above 128 use the row kernel (one thread per query row, the whole K/V tile in static shared memory).
 *
 * The text compiles under NVRTC (the backend's compiler), under nvcc (CI's PTX check) and, with FB_EMULATE
 * defined, as C++ on the CPU against test/cuda/emulate/fb_emulate.h (the CPU emulation test): the few
 * device-only pieces (inline PTX, the dynamic shared-memory declaration) sit behind that macro.
 */

export type SdpaCudaPath = 'fp32' | 'tf32' | 'tf32x3';
export const SDPA_CUDA_PATHS: readonly SdpaCudaPath[] = ['fp32', 'tf32', 'tf32x3'];
/** The flash kernel's largest head dim; above it the row kernel runs. */
export const SDPA_FLASH_MAX_HEAD_DIM = 128;
export const SDPA_MAX_HEAD_DIM = 256;
/** Query rows per warp (the mma tile's M). */
export const SDPA_ROWS_PER_WARP = 16;
export const SDPA_WARP_COUNTS = [1, 2, 4, 8] as const;
export const SDPA_KEY_TILES = [16, 32, 64] as const;
/** Blocks per cluster that split the key range; 8 is the portable cluster limit. */
export const SDPA_SPLITS = [1, 2, 4, 8] as const;

/** The flash kernel's shape: what the check script sweeps and the host heuristic picks per call. */
export interface SdpaCudaTiling {
  /** Warps per block; each owns 16 query rows, so a block has 16·warps rows. */
  readonly warps: (typeof SDPA_WARP_COUNTS)[number];
  /** Keys per K/V tile. */
  readonly keysPerTile: (typeof SDPA_KEY_TILES)[number];
  /** Blocks of one cluster sharing a query tile, each taking 1/split of the key tiles (1: no cluster). */
  readonly split: (typeof SDPA_SPLITS)[number];
}

export interface SdpaCudaKernel {
  readonly source: string;
  readonly entry: string;
  /** Query rows per block: the grid is (ceil(S / rowsPerBlock) · split, BH). */
  readonly rowsPerBlock: number;
  readonly threads: number;
  /** Blocks per cluster along x (compiled in with __cluster_dims__); 1 for no cluster. */
  readonly split: number;
  /** Dynamic shared memory per block, in bytes (0 for the row kernel, whose shared memory is static). */
  readonly smemBytes: number;
  /** What ran, for reports: `fp32`, `tf32`, `tf32x3` (the flash kernel) or `rows`. */
  readonly path: SdpaCudaPath | 'rows';
  /** The flash kernel's tiling (absent for the row kernel). */
  readonly tiling?: SdpaCudaTiling;
}

/** Head dim padded to the output layouts' 32 columns. */
function paddedDim(d: number): number {
  return Math.ceil(d / 32) * 32;
}

/** The tiling a head dim gets when nobody asks for another: 4 warps, 64-key tiles (32 above D = 64), no split. */
export function defaultSdpaTiling(d: number): SdpaCudaTiling {
  return { warps: 4, keysPerTile: paddedDim(d) <= 64 ? 64 : 32, split: 1 };
}

interface FlashGeometry {
  /** mma paths at D ≤ 64: the warp's Q fragments stay in registers (else they are read from shared memory per tile). */
  readonly qreg: boolean;
  /** The Q tile is loaded into stage 1 of the K/V buffers (free until the loop's first prefetch). */
  readonly qAlias: boolean;
  /** Dynamic shared memory in floats: K/V stages, the Q tile (unless aliased), the fp32 path's P tiles; the combine reuses it. */
  readonly smemFloats: number;
}

function flashGeometry(dp: number, path: SdpaCudaPath, t: SdpaCudaTiling): FlashGeometry {
  const ds = dp + 4, br = SDPA_ROWS_PER_WARP * t.warps, bc = t.keysPerTile;
  const qreg = path !== 'fp32' && dp <= 64;
  const qAlias = qreg && br <= 2 * bc;
  const main = 4 * bc * ds + (qAlias ? 0 : br * ds) + (path === 'fp32' ? t.warps * SDPA_ROWS_PER_WARP * (bc + 8) : 0);
  const combine = t.split > 1 ? br * (dp + 8) + 2 * br : 0;
  return { qreg, qAlias, smemFloats: Math.max(main, combine) };
}

/** Checks a tiling against the lists above (a typo in a bench must not compile a nonsense kernel). */
function checkTiling(t: SdpaCudaTiling): void {
  const ok = (SDPA_WARP_COUNTS as readonly number[]).includes(t.warps) && (SDPA_KEY_TILES as readonly number[]).includes(t.keysPerTile)
    && (SDPA_SPLITS as readonly number[]).includes(t.split);
  if (!ok) throw new Error(`FusebenchSDPA on cuda: tiling ${JSON.stringify(t)} outside warps ${SDPA_WARP_COUNTS.join('/')}, keysPerTile ${SDPA_KEY_TILES.join('/')}, split ${SDPA_SPLITS.join('/')}`);
}

/**
 * The kernel FusebenchSDPA runs for head dim `d` on `path` with `tiling` (the row kernel above
 * SDPA_FLASH_MAX_HEAD_DIM, whatever the path and tiling). `aligned16`: every tensor starts on a 16-byte boundary,
 * so rows of D % 4 == 0 floats copy 16 bytes at a time.
 */
export function sdpaCudaKernel(d: number, path: SdpaCudaPath, tiling: SdpaCudaTiling = defaultSdpaTiling(d), aligned16 = true): SdpaCudaKernel {
  if (!Number.isInteger(d) || d < 1 || d > SDPA_MAX_HEAD_DIM) throw new Error(`FusebenchSDPA on cuda: head dim ${d} outside 1..${SDPA_MAX_HEAD_DIM}`);
  if (d > SDPA_FLASH_MAX_HEAD_DIM) return rowKernel(d);
  checkTiling(tiling);
  const dp = paddedDim(d);
  const vec = d % 4 === 0 && aligned16;
  const { warps, keysPerTile: bc, split } = tiling;
  const g = flashGeometry(dp, path, tiling);
  const entry = `fb_sdpa_${path}_d${d}_w${warps}_k${bc}_s${split}${vec || d % 4 !== 0 ? '' : '_a4'}`;
  const source = `${FLASH_COMMON}
${split > 1 ? CLUSTER_HELPERS : ''}
#define D ${d}
#define DP ${dp}
#define NW ${warps}
#define BC ${bc}
#define SPLIT ${split}
#define VEC ${vec ? 1 : 0}
#define FB_QREG ${g.qreg ? 1 : 0}
#define FB_Q_ALIAS ${g.qAlias ? 1 : 0}
${FLASH_TILES}
${path === 'fp32' ? FLASH_FP32_BODY : FLASH_MMA_BODY(path === 'tf32x3')}
${flashKernel(entry)}
${UNDEF_FLASH}
`;
  return {
    source, entry, rowsPerBlock: SDPA_ROWS_PER_WARP * warps, threads: 32 * warps, split,
    smemBytes: g.smemFloats * 4, path, tiling,
  };
}

/** Every variant CI compiles (test/cuda/codegen.test.ts) and the resource dump prints. */
export function sdpaCudaCatalog(): SdpaCudaKernel[] {
  const out: SdpaCudaKernel[] = [];
  for (const path of SDPA_CUDA_PATHS) {
    for (const d of [64, 128, 33]) out.push(sdpaCudaKernel(d, path));
    out.push(sdpaCudaKernel(64, path, { warps: 4, keysPerTile: 64, split: 4 }));
    out.push(sdpaCudaKernel(64, path, { warps: 8, keysPerTile: 64, split: 2 }));
    out.push(sdpaCudaKernel(128, path, { warps: 4, keysPerTile: 32, split: 2 }));
  }
  out.push(sdpaCudaKernel(64, 'fp32', { warps: 2, keysPerTile: 32, split: 8 }));
  out.push(sdpaCudaKernel(256, 'fp32'));
  return out;
}

// ---- the flash kernel ---------------------------------------------------------------------------

/** Device helpers: cp.async with zero fill, and the TF32 conversion and mma (inline PTX; the CPU emulation supplies its own). */
const FLASH_COMMON = String.raw`
#define FB_NEG_INF __int_as_float(0xff800000)
#ifndef FB_EMULATE
/* Copies 16 (or 4) bytes global → shared without registers; src_bytes 0 writes zeros and reads nothing. */
__device__ __forceinline__ void fb_cp16(float* dst, const float* src, bool valid) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" :: "r"((unsigned)__cvta_generic_to_shared(dst)), "l"(src), "r"(valid ? 16 : 0));
}
__device__ __forceinline__ void fb_cp4(float* dst, const float* src, bool valid) {
  asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n" :: "r"((unsigned)__cvta_generic_to_shared(dst)), "l"(src), "r"(valid ? 4 : 0));
}
__device__ __forceinline__ void fb_cp_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void fb_cp_wait() { asm volatile("cp.async.wait_group %0;\n" :: "n"(N)); }
/* Round to TF32 (nearest, ties away), as the tensor cores read it. */
__device__ __forceinline__ unsigned fb_tf32(float x) { unsigned r; asm("cvt.rna.tf32.f32 %0, %1;\n" : "=r"(r) : "f"(x)); return r; }
/* c += a·b for a 16×8 (row) by 8×8 (col) TF32 tile pair. */
__device__ __forceinline__ void fb_mma_tf32(float* c, unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0, unsigned b1) {
  asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
    : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3]) : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
}
#endif
`;

/** Thread-block cluster helpers (sm_90): rank, barrier, and loads from another block's shared memory. */
const CLUSTER_HELPERS = String.raw`
#ifndef FB_EMULATE
__device__ __forceinline__ unsigned fb_cluster_rank() { unsigned r; asm volatile("mov.u32 %0, %%cluster_ctarank;\n" : "=r"(r)); return r; }
/* Every thread of every block of the cluster arrives; shared-memory writes before it are visible to loads after it. */
__device__ __forceinline__ void fb_cluster_sync() { asm volatile("barrier.cluster.arrive.release.aligned;\nbarrier.cluster.wait.acquire.aligned;\n" ::: "memory"); }
/* The shared::cluster address of p (a pointer into this block's shared memory) in block rank's shared memory. */
typedef unsigned fb_dsmem;
__device__ __forceinline__ fb_dsmem fb_dsmem_map(const float* p, unsigned rank) {
  unsigned r; asm volatile("mapa.shared::cluster.u32 %0, %1, %2;\n" : "=r"(r) : "r"((unsigned)__cvta_generic_to_shared(p)), "r"(rank)); return r;
}
__device__ __forceinline__ float fb_dsmem_ld(fb_dsmem a, int i) {
  float v; asm volatile("ld.shared::cluster.f32 %0, [%1];\n" : "=f"(v) : "r"(a + 4u * (unsigned)i) : "memory"); return v;
}
__device__ __forceinline__ float4 fb_dsmem_ld4(fb_dsmem a, int i) {
  float4 v; asm volatile("ld.shared::cluster.v4.f32 {%0,%1,%2,%3}, [%4];\n" : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w) : "r"(a + 4u * (unsigned)i) : "memory"); return v;
}
#endif
`;

/** Tile geometry and the cp.async tile loader. */
const FLASH_TILES = String.raw`
#define BR (16 * NW)          /* query rows per block */
#define NT (32 * NW)          /* threads per block */
#define DS (DP + 4)           /* shared row stride in floats: rows 4 banks apart, so the access patterns below are conflict-free */
#define RS (DP + 8)           /* the combine's row stride: rows 8 banks apart (the mma layout's float2 stores) */

/* Loads rows [0, ROWS) of a [*, D] matrix at g into s [ROWS][DS]; rows ≥ nvalid and columns ≥ D become zeros. */
template <int ROWS>
__device__ __forceinline__ void fb_load_tile(float* s, const float* g, int nvalid) {
#if VEC
  constexpr int CH = DP / 4;
#pragma unroll 4
  for (int i = threadIdx.x; i < ROWS * CH; i += NT) {
    const int r = i / CH, c = (i % CH) * 4;
    const bool ok = r < nvalid && c < D;
    fb_cp16(s + r * DS + c, ok ? g + (size_t)r * D + c : g, ok);
  }
#else
  for (int i = threadIdx.x; i < ROWS * DP; i += NT) {
    const int r = i / DP, c = i % DP;
    const bool ok = r < nvalid && c < D;
    fb_cp4(s + r * DS + c, ok ? g + (size_t)r * D + c : g, ok);
  }
#endif
}

/* Writes one finished output row segment: 4 columns from c (those < D) of row r of og [*, D]. */
__device__ __forceinline__ void fb_store4(float* og, int r, int c, float4 x) {
#if VEC
  *reinterpret_cast<float4*>(og + (size_t)r * D + c) = x;
#else
  float* p = og + (size_t)r * D + c;
  if (c < D) p[0] = x.x;
  if (c + 1 < D) p[1] = x.y;
  if (c + 2 < D) p[2] = x.z;
  if (c + 3 < D) p[3] = x.w;
#endif
}
`;

/**
 * fp32 path. Lane = 8·rg + kg. The lane's rows are rg + 4i (i < 4) of the warp's 16, for the scores and the output
 * alike; its keys are kg + 8j (j < BC/8) of each tile; its output columns are 4·kg + 32·jj (+0..3), jj < DP/32.
 */
const FLASH_FP32_BODY = String.raw`
#define NJ (BC / 8)
#define NO (DP / 32)
#define PS (BC + 8)          /* row stride of a warp's probability tile: the scalar stores below are conflict-free */
#define FB_P_TILES 1
struct FbState {
  float m[4], l[4];
  float4 o[4][NO];
};
__device__ __forceinline__ void fb_state_init(FbState& st, const float* qw) {
  (void)qw;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    st.m[i] = FB_NEG_INF;
    st.l[i] = 0.f;
#pragma unroll
    for (int jj = 0; jj < NO; ++jj) st.o[i][jj] = make_float4(0.f, 0.f, 0.f, 0.f);
  }
}
/* One tile: kt, vt its first K and V rows in shared memory, key0 its first key, qw this warp's Q rows, pw its P tile. */
template <bool MASK>
__device__ __forceinline__ void fb_tile(FbState& st, const float* qw, const float* kt, const float* vt, float* pw,
                                        int key0, int seq, float scale_log2) {
  const int lane = threadIdx.x & 31, rg = lane >> 3, kg = lane & 7;
  float s[4][NJ];
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < NJ; ++j) s[i][j] = 0.f;
#pragma unroll 4
  for (int k4 = 0; k4 < DP; k4 += 4) {
    float4 qv[4];
#pragma unroll
    for (int i = 0; i < 4; ++i) qv[i] = *reinterpret_cast<const float4*>(qw + (rg + 4 * i) * DS + k4);
#pragma unroll
    for (int j = 0; j < NJ; ++j) {
      const float4 kk = *reinterpret_cast<const float4*>(kt + (kg + 8 * j) * DS + k4);
#pragma unroll
      for (int i = 0; i < 4; ++i)
        s[i][j] = fmaf(qv[i].x, kk.x, fmaf(qv[i].y, kk.y, fmaf(qv[i].z, kk.z, fmaf(qv[i].w, kk.w, s[i][j]))));
    }
  }
  float alpha[4];
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    float mx = FB_NEG_INF;
#pragma unroll
    for (int j = 0; j < NJ; ++j) {
      float x = s[i][j] * scale_log2;
      if (MASK && key0 + kg + 8 * j >= seq) x = FB_NEG_INF;
      s[i][j] = x;
      mx = fmaxf(mx, x);
    }
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 4));
    const float mnew = fmaxf(st.m[i], mx);
    /* A row with no valid key yet keeps m = -inf; 0 as the reference keeps exp2 away from inf - inf. */
    const float mref = mnew == FB_NEG_INF ? 0.f : mnew;
    alpha[i] = exp2f(st.m[i] - mref);
    st.m[i] = mnew;
    float sum = 0.f;
#pragma unroll
    for (int j = 0; j < NJ; ++j) {
      const float p = exp2f(s[i][j] - mref);
      sum += p;
      pw[(rg + 4 * i) * PS + kg + 8 * j] = p;
    }
    st.l[i] = st.l[i] * alpha[i] + sum;
  }
  __syncwarp();
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int jj = 0; jj < NO; ++jj) {
      st.o[i][jj].x *= alpha[i]; st.o[i][jj].y *= alpha[i]; st.o[i][jj].z *= alpha[i]; st.o[i][jj].w *= alpha[i];
    }
#pragma unroll 2
  for (int c4 = 0; c4 < BC; c4 += 4) {
    float4 p[4];
#pragma unroll
    for (int i = 0; i < 4; ++i) p[i] = *reinterpret_cast<const float4*>(pw + (rg + 4 * i) * PS + c4);
#pragma unroll
    for (int cc = 0; cc < 4; ++cc) {
#pragma unroll
      for (int jj = 0; jj < NO; ++jj) {
        const float4 vv = *reinterpret_cast<const float4*>(vt + (c4 + cc) * DS + 4 * kg + 32 * jj);
#pragma unroll
        for (int i = 0; i < 4; ++i) {
          const float pc = cc == 0 ? p[i].x : cc == 1 ? p[i].y : cc == 2 ? p[i].z : p[i].w;
          st.o[i][jj].x = fmaf(pc, vv.x, st.o[i][jj].x);
          st.o[i][jj].y = fmaf(pc, vv.y, st.o[i][jj].y);
          st.o[i][jj].z = fmaf(pc, vv.z, st.o[i][jj].z);
          st.o[i][jj].w = fmaf(pc, vv.w, st.o[i][jj].w);
        }
      }
    }
  }
}
/* The row sums over the 8 lanes of a row (each lane summed its own keys). */
__device__ __forceinline__ void fb_state_finish(FbState& st) {
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 1);
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 2);
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 4);
  }
}
/* The warp's finished rows into og [*, D] (row 0: the warp's first), rows ≥ nrows skipped. */
__device__ __forceinline__ void fb_state_store(const FbState& st, float* og, int nrows) {
  const int lane = threadIdx.x & 31, rg = lane >> 3, kg = lane & 7;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const int r = rg + 4 * i;
    if (r >= nrows) continue;
    const float inv = 1.f / st.l[i];
#pragma unroll
    for (int jj = 0; jj < NO; ++jj) {
      const int c = 4 * kg + 32 * jj;
      if (c >= D) continue;
      const float4 o = st.o[i][jj];
      fb_store4(og, r, c, make_float4(o.x * inv, o.y * inv, o.z * inv, o.w * inv));
    }
  }
}
/* The warp's unnormalised rows into red [16][RS], and m, l into ms[16], ls[16], for the cluster's combine. */
__device__ __forceinline__ void fb_state_stash(const FbState& st, float* red, float* ms, float* ls) {
  const int lane = threadIdx.x & 31, rg = lane >> 3, kg = lane & 7;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const int r = rg + 4 * i;
#pragma unroll
    for (int jj = 0; jj < NO; ++jj) *reinterpret_cast<float4*>(red + r * RS + 4 * kg + 32 * jj) = st.o[i][jj];
    if (kg == 0) { ms[r] = st.m[i]; ls[r] = st.l[i]; }
  }
}
`;

/**
 * TF32 paths. Lane = 4·g + t; this lane's rows are g and g+8 for the scores and the output alike (the mma
 * accumulator layout); score columns 2t, 2t+1 of each 8-key block, output columns 2t, 2t+1 of each 8-column block.
 */
function FLASH_MMA_BODY(split: boolean): string {
  // Operand a as TF32: one part, or a high part and the TF32 rounding of what it left.
  const frag = split
    ? String.raw`
struct FbFrag { unsigned hi, lo; };
__device__ __forceinline__ FbFrag fb_frag(float x) { FbFrag f; f.hi = fb_tf32(x); f.lo = fb_tf32(x - __uint_as_float(f.hi)); return f; }
/* Small products first, so the large one rounds last. */
__device__ __forceinline__ void fb_mma(float* c, FbFrag a0, FbFrag a1, FbFrag a2, FbFrag a3, FbFrag b0, FbFrag b1) {
  fb_mma_tf32(c, a0.lo, a1.lo, a2.lo, a3.lo, b0.hi, b1.hi);
  fb_mma_tf32(c, a0.hi, a1.hi, a2.hi, a3.hi, b0.lo, b1.lo);
  fb_mma_tf32(c, a0.hi, a1.hi, a2.hi, a3.hi, b0.hi, b1.hi);
}`
    : String.raw`
typedef unsigned FbFrag;
__device__ __forceinline__ FbFrag fb_frag(float x) { return fb_tf32(x); }
__device__ __forceinline__ void fb_mma(float* c, FbFrag a0, FbFrag a1, FbFrag a2, FbFrag a3, FbFrag b0, FbFrag b1) {
  fb_mma_tf32(c, a0, a1, a2, a3, b0, b1);
}`;
  return `${frag}
${FLASH_MMA_SHARED}`;
}

const FLASH_MMA_SHARED = String.raw`
#define FB_NT (BC / 8)       /* 8-key blocks per tile */
#define FB_ND (DP / 8)       /* 8-column blocks of the output, 8-deep k steps of QKᵀ */
#define FB_P_TILES 0
struct FbState {
  float m[2], l[2];
  float o[FB_ND][4];
#if FB_QREG
  float q[FB_ND][4];         /* the warp's Q fragments (their TF32 conversions are loop-invariant: the compiler hoists them) */
#endif
};
__device__ __forceinline__ void fb_state_init(FbState& st, const float* qw) {
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  (void)qw; (void)g; (void)t;
  st.m[0] = st.m[1] = FB_NEG_INF;
  st.l[0] = st.l[1] = 0.f;
#pragma unroll
  for (int n = 0; n < FB_ND; ++n) st.o[n][0] = st.o[n][1] = st.o[n][2] = st.o[n][3] = 0.f;
#if FB_QREG
#pragma unroll
  for (int kk = 0; kk < FB_ND; ++kk) {
    st.q[kk][0] = qw[g * DS + 8 * kk + t];
    st.q[kk][1] = qw[(g + 8) * DS + 8 * kk + t];
    st.q[kk][2] = qw[g * DS + 8 * kk + t + 4];
    st.q[kk][3] = qw[(g + 8) * DS + 8 * kk + t + 4];
  }
#endif
}
template <bool MASK>
__device__ __forceinline__ void fb_tile(FbState& st, const float* qw, const float* kt, const float* vt, float* pw,
                                        int key0, int seq, float scale_log2) {
  (void)pw; (void)qw;
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  /* s[n][e]: row g (e 0, 1) or g+8 (e 2, 3), key 8n + 2t + (e & 1). */
  float s[FB_NT][4];
#pragma unroll
  for (int n = 0; n < FB_NT; ++n) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.f;
#pragma unroll
  for (int kk = 0; kk < FB_ND; ++kk) {
#if FB_QREG
    const FbFrag a0 = fb_frag(st.q[kk][0]), a1 = fb_frag(st.q[kk][1]), a2 = fb_frag(st.q[kk][2]), a3 = fb_frag(st.q[kk][3]);
#else
    const FbFrag a0 = fb_frag(qw[g * DS + 8 * kk + t]), a1 = fb_frag(qw[(g + 8) * DS + 8 * kk + t]);
    const FbFrag a2 = fb_frag(qw[g * DS + 8 * kk + t + 4]), a3 = fb_frag(qw[(g + 8) * DS + 8 * kk + t + 4]);
#endif
#pragma unroll
    for (int n = 0; n < FB_NT; ++n) {
      const float* kr = kt + (8 * n + g) * DS + 8 * kk;
      fb_mma(s[n], a0, a1, a2, a3, fb_frag(kr[t]), fb_frag(kr[t + 4]));
    }
  }
  float alpha[2];
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    float mx = FB_NEG_INF;
#pragma unroll
    for (int n = 0; n < FB_NT; ++n)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        float& x = s[n][2 * h + e];
        x *= scale_log2;
        if (MASK && key0 + 8 * n + 2 * t + e >= seq) x = FB_NEG_INF;
        mx = fmaxf(mx, x);
      }
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
    const float mnew = fmaxf(st.m[h], mx);
    const float mref = mnew == FB_NEG_INF ? 0.f : mnew;
    alpha[h] = exp2f(st.m[h] - mref);
    st.m[h] = mnew;
    float sum = 0.f;
#pragma unroll
    for (int n = 0; n < FB_NT; ++n)
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        float& x = s[n][2 * h + e];
        x = exp2f(x - mref);
        sum += x;
      }
    st.l[h] = st.l[h] * alpha[h] + sum;
  }
#pragma unroll
  for (int n = 0; n < FB_ND; ++n) { st.o[n][0] *= alpha[0]; st.o[n][1] *= alpha[0]; st.o[n][2] *= alpha[1]; st.o[n][3] *= alpha[1]; }
  /* P·V per 8-key block: A's column t is key 2t and column t+4 is key 2t+1, so A is s[n] reordered; B's rows follow. */
#pragma unroll
  for (int n = 0; n < FB_NT; ++n) {
    const FbFrag a0 = fb_frag(s[n][0]), a1 = fb_frag(s[n][2]), a2 = fb_frag(s[n][1]), a3 = fb_frag(s[n][3]);
    const float* v0 = vt + (8 * n + 2 * t) * DS;
    const float* v1 = v0 + DS;
#pragma unroll
    for (int nd = 0; nd < FB_ND; ++nd) fb_mma(st.o[nd], a0, a1, a2, a3, fb_frag(v0[8 * nd + g]), fb_frag(v1[8 * nd + g]));
  }
}
__device__ __forceinline__ void fb_state_finish(FbState& st) {
#pragma unroll
  for (int i = 0; i < 2; ++i) {
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 1);
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 2);
  }
}
__device__ __forceinline__ void fb_state_store(const FbState& st, float* og, int nrows) {
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int r = g + 8 * h;
    if (r >= nrows) continue;
    const float inv = 1.f / st.l[h];
    float* row = og + (size_t)r * D;
#pragma unroll
    for (int nd = 0; nd < FB_ND; ++nd) {
      const int c = 8 * nd + 2 * t;
#if VEC
      /* D % 4 == 0 and c even: c < D means c + 1 < D too. */
      if (c < D) *reinterpret_cast<float2*>(row + c) = make_float2(st.o[nd][2 * h] * inv, st.o[nd][2 * h + 1] * inv);
#else
      if (c < D) row[c] = st.o[nd][2 * h] * inv;
      if (c + 1 < D) row[c + 1] = st.o[nd][2 * h + 1] * inv;
#endif
    }
  }
}
__device__ __forceinline__ void fb_state_stash(const FbState& st, float* red, float* ms, float* ls) {
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int r = g + 8 * h;
#pragma unroll
    for (int nd = 0; nd < FB_ND; ++nd) *reinterpret_cast<float2*>(red + r * RS + 8 * nd + 2 * t) = make_float2(st.o[nd][2 * h], st.o[nd][2 * h + 1]);
    if (t == 0) { ms[r] = st.m[h]; ls[r] = st.l[h]; }
  }
}
`;

/** The kernel: Q tile, the pipeline over this block's key tiles, then the store (or the cluster's combine). */
function flashKernel(entry: string): string {
  return String.raw`
#if SPLIT > 1
#define FB_CLUSTER __cluster_dims__(SPLIT, 1, 1)
#else
#define FB_CLUSTER
#endif
/* Params: out, q, k, v [BH, seq, D]; seq; scale·log2(e). Grid (ceil(seq / BR) · SPLIT, BH), block NT, dynamic smem. */
extern "C" __global__ void FB_CLUSTER __launch_bounds__(NT) ${entry}(float* __restrict__ out, const float* __restrict__ q,
    const float* __restrict__ k, const float* __restrict__ v, int seq, float scale_log2) {
#ifdef FB_EMULATE
  float* fb_smem = fb_emulate_dynamic_smem();
#else
  extern __shared__ __align__(16) float fb_smem[];
#endif
  float* kv = fb_smem;                 /* stage b: K [BC][DS] at kv + 2·b·BC·DS, V right after */
#if FB_Q_ALIAS
  float* qs = kv + 2 * BC * DS;        /* [BR][DS] in stage 1, until the Q fragments are in registers */
#else
  float* qs = kv + 4 * BC * DS;        /* [BR][DS] */
#endif
  const int w = threadIdx.x >> 5;
  float* pw = kv + 4 * BC * DS + BR * DS + (FB_P_TILES ? w * 16 * (BC + 8) : 0);  /* fp32 path: this warp's [16][BC + 8] probabilities */
  const float* qw = qs + w * 16 * DS;
#if SPLIT > 1
  const int rank = (int)fb_cluster_rank();
#else
  const int rank = 0;
#endif
  const int q0 = (int)(blockIdx.x / SPLIT) * BR;
  const size_t head = (size_t)blockIdx.y * (size_t)seq * D;
  const float* kh = k + head;
  const float* vh = v + head;
  /* This block's key tiles: [t0, t1) of ntiles, spread evenly over the cluster. */
  const int ntiles = (seq + BC - 1) / BC;
  const int t0 = (int)((long long)ntiles * rank / SPLIT), t1 = (int)((long long)ntiles * (rank + 1) / SPLIT);

  fb_load_tile<BR>(qs, q + head + (size_t)q0 * D, seq - q0);
  fb_cp_commit();
  if (t0 < t1) {
    fb_load_tile<BC>(kv, kh + (size_t)t0 * BC * D, seq - t0 * BC);
    fb_load_tile<BC>(kv + BC * DS, vh + (size_t)t0 * BC * D, seq - t0 * BC);
  }
  fb_cp_commit();
  fb_cp_wait<1>();
  __syncthreads();
  FbState st;
  fb_state_init(st, qw);
#if FB_Q_ALIAS
  __syncthreads();                     /* every warp has its Q fragments: stage 1 takes the next tile */
#endif
  for (int tile = t0; tile < t1; ++tile) {
    const int buf = (tile - t0) & 1;
    if (tile + 1 < t1) {
      /* The other stage was last read in the previous iteration, which ended with __syncthreads. */
      const int k1 = (tile + 1) * BC;
      float* nx = kv + (buf ^ 1) * 2 * BC * DS;
      fb_load_tile<BC>(nx, kh + (size_t)k1 * D, seq - k1);
      fb_load_tile<BC>(nx + BC * DS, vh + (size_t)k1 * D, seq - k1);
      fb_cp_commit();
      fb_cp_wait<1>();
    } else {
      fb_cp_wait<0>();
    }
    __syncthreads();
    const float* kt = kv + buf * 2 * BC * DS;
    if ((tile + 1) * BC > seq) fb_tile<true>(st, qw, kt, kt + BC * DS, pw, tile * BC, seq, scale_log2);
    else fb_tile<false>(st, qw, kt, kt + BC * DS, pw, tile * BC, seq, scale_log2);
    __syncthreads();
  }
  fb_state_finish(st);
#if SPLIT == 1
  fb_state_store(st, out + head + (size_t)(q0 + 16 * w) * D, seq - q0 - 16 * w);
#else
  /* Combine: out(row) = Σ_r 2^(m_r - M) O_r / Σ_r 2^(m_r - M) l_r over the cluster's blocks r, M = max_r m_r.
     Each block stashes its partial rows in its own shared memory (the K/V stages are free: the loop ended with
     __syncthreads, and a block without tiles issued no copies), then finishes BR / SPLIT of the rows. */
  float* red = kv;                     /* [BR][RS] */
  float* ms = red + BR * RS;           /* [BR] */
  float* ls = ms + BR;                 /* [BR] */
  fb_state_stash(st, red + 16 * w * RS, ms + 16 * w, ls + 16 * w);
  fb_cluster_sync();
  constexpr int ROWS = BR / SPLIT, C4 = DP / 4;
  float* og = out + head + (size_t)q0 * D;
#pragma unroll 1
  for (int e = threadIdx.x; e < ROWS * C4; e += NT) {
    const int row = rank * ROWS + e / C4, c = (e % C4) * 4;
    if (q0 + row >= seq || c >= D) continue;
    float mx = FB_NEG_INF;
#pragma unroll
    for (int r = 0; r < SPLIT; ++r) mx = fmaxf(mx, fb_dsmem_ld(fb_dsmem_map(ms, r), row));
    float l = 0.f;
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll
    for (int r = 0; r < SPLIT; ++r) {
      /* A block without keys has m = -inf: weight 0 (mx is finite, some block holds every row's first key). */
      const float wgt = exp2f(fb_dsmem_ld(fb_dsmem_map(ms, r), row) - mx);
      l += wgt * fb_dsmem_ld(fb_dsmem_map(ls, r), row);
      const float4 o = fb_dsmem_ld4(fb_dsmem_map(red, r), row * RS + c);
      acc.x += wgt * o.x; acc.y += wgt * o.y; acc.z += wgt * o.z; acc.w += wgt * o.w;
    }
    const float inv = 1.f / l;
    fb_store4(og, row, c, make_float4(acc.x * inv, acc.y * inv, acc.z * inv, acc.w * inv));
  }
  /* No block may leave while another still reads its shared memory. */
  fb_cluster_sync();
#endif
}
`;
}

/** The macros above, undefined at the end so that sources compiled together (CI's PTX check) do not see them. */
const UNDEF_FLASH = ['FB_NEG_INF', 'D', 'DP', 'NW', 'BC', 'SPLIT', 'VEC', 'BR', 'NT', 'DS', 'RS', 'NJ', 'NO', 'PS', 'FB_P_TILES',
  'FB_NT', 'FB_ND', 'FB_QREG', 'FB_Q_ALIAS', 'FB_CLUSTER']
  .map((m) => `#undef ${m}`).join('\n');

// ---- the row kernel (head dims above 128) ---------------------------------------------------------

const ROW_THREADS = 64;

/** One thread per query row, q and the accumulator in registers, K/V tiles in static shared memory (≤ 32 KiB). */
function rowKernel(d: number): SdpaCudaKernel {
  const bc = d <= 64 ? 64 : d <= 128 ? 32 : 16;
  const entry = `fb_sdpa_rows_d${d}`;
  const source = String.raw`
#define D ${d}
#define BC ${bc}
#define FB_NEG_INF __int_as_float(0xff800000)
/* Params: out, q, k, v [BH, seq, D]; seq; scale·log2(e). Grid (ceil(seq / ${ROW_THREADS}), BH), block ${ROW_THREADS}. */
extern "C" __global__ void __launch_bounds__(${ROW_THREADS}) ${entry}(float* __restrict__ out, const float* __restrict__ q,
    const float* __restrict__ k, const float* __restrict__ v, int seq, float scale_log2) {
  __shared__ float ks[BC][D];
  __shared__ float vs[BC][D];
  const size_t head = (size_t)blockIdx.y * (size_t)seq * D;
  const int row = blockIdx.x * ${ROW_THREADS} + threadIdx.x;
  const bool active = row < seq;
  float qr[D];
  float acc[D];
#pragma unroll
  for (int j = 0; j < D; ++j) { qr[j] = active ? q[head + (size_t)row * D + j] * scale_log2 : 0.f; acc[j] = 0.f; }
  float m = FB_NEG_INF, l = 0.f;
  for (int k0 = 0; k0 < seq; k0 += BC) {
    const int rows = min(BC, seq - k0);
    __syncthreads();
    for (int t = threadIdx.x; t < rows * D; t += blockDim.x) {
      ks[t / D][t % D] = k[head + (size_t)k0 * D + t];
      vs[t / D][t % D] = v[head + (size_t)k0 * D + t];
    }
    __syncthreads();
    float s[BC];
    float tmax = FB_NEG_INF;
#pragma unroll 1
    for (int c = 0; c < BC; ++c) {
      float dot = 0.f;
#pragma unroll
      for (int j = 0; j < D; ++j) dot += qr[j] * ks[c][j];
      s[c] = c < rows ? dot : FB_NEG_INF;
      tmax = fmaxf(tmax, s[c]);
    }
    const float mnew = fmaxf(m, tmax);
    const float corr = exp2f(m - mnew);
    l *= corr;
#pragma unroll
    for (int j = 0; j < D; ++j) acc[j] *= corr;
#pragma unroll 1
    for (int c = 0; c < BC; ++c) {
      const float p = c < rows ? exp2f(s[c] - mnew) : 0.f;
      l += p;
#pragma unroll
      for (int j = 0; j < D; ++j) acc[j] += p * vs[c][j];
    }
    m = mnew;
  }
  if (!active) return;
  const float inv = 1.f / l;
#pragma unroll
  for (int j = 0; j < D; ++j) out[head + (size_t)row * D + j] = acc[j] * inv;
}
#undef D
#undef BC
#undef FB_NEG_INF
`;
  return { source, entry, rowsPerBlock: ROW_THREADS, threads: ROW_THREADS, split: 1, smemBytes: 0, path: 'rows' };
}
