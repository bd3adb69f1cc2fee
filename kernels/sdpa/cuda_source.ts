/**
 * CUDA source of FusebenchSDPA: out = softmax(q·kᵀ·scale)·v per head, q, k, v, out [BH, S, D] float32.
 *
 * The flash kernel (head dim D ≤ 128), FlashAttention-2's structure written for this project:
 * - a block of 4 warps owns BR = 16 query rows (small, so that 1h×2048 still gives 128 blocks for 132 SMs);
 * - K and V stream through shared memory in tiles of BC keys, double-buffered with cp.async (the next tile
 *   loads while this one is used), rows zero-filled past S and columns past D;
 * - each warp takes its own KW = BC/4 keys of every tile for all 16 rows (a key split inside the block), keeps
 *   its own running max m, sum l and output accumulator (online softmax, fp32), and the four partial results
 *   are combined once at the end through shared memory: one kernel, one launch;
 * - scores never leave registers except as one warp's 16×KW probabilities (fp32 path).
 *
 * Three arithmetic paths, the same tiles and pipeline:
 * - `fp32`: FFMA on register tiles (each lane 2 rows × KW/4 keys of the scores, 4 rows × D/8 columns of the
 *   output), probabilities exchanged through a per-warp shared tile;
 * - `tf32`: mma.sync.m16n8k8 TF32 tensor-core products (inputs rounded to TF32, 10-bit mantissa), fp32
 *   accumulation; probabilities stay in registers (the accumulator layout of QKᵀ is reused as the A operand of
 *   P·V by numbering each 8-key block's keys 0,2,4,6,1,3,5,7, with V's rows read in the same order);
 * - `tf32x3`: the same mma with each operand split into a TF32 high part and a TF32 low part
 *   (a·b ≈ aₕbₕ + aₕbₗ + aₗbₕ), three products per step, close to fp32 accuracy.
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
export const SDPA_ROWS_PER_BLOCK = 16;
export const SDPA_THREADS = 128;

export interface SdpaCudaKernel {
  readonly source: string;
  readonly entry: string;
  /** Query rows per block: the grid is (ceil(S / rowsPerBlock), BH). */
  readonly rowsPerBlock: number;
  readonly threads: number;
  /** Dynamic shared memory per block, in bytes (0 for the row kernel, whose shared memory is static). */
  readonly smemBytes: number;
  /** What ran, for reports: `fp32`, `tf32`, `tf32x3` (the flash kernel) or `rows`. */
  readonly path: SdpaCudaPath | 'rows';
}

/** Head dim padded to the output layout's 32 columns. */
function paddedDim(d: number): number {
  return Math.ceil(d / 32) * 32;
}

/** Keys per warp per tile: 16 for D ≤ 64, 8 above (K and V tiles then stay near 70 KiB for two stages). */
function keysPerWarp(dp: number): number {
  return dp <= 64 ? 16 : 8;
}

/** Shared memory of the flash kernel, in floats: Q tile, two K and two V stages, the fp32 path's P tiles and alphas, the combine's m and l. */
function flashSmemFloats(dp: number, path: SdpaCudaPath): number {
  const ds = dp + 4, kw = keysPerWarp(dp), bc = 4 * kw, br = SDPA_ROWS_PER_BLOCK;
  const pTiles = path === 'fp32' ? 4 * br * (kw + 4) + 4 * br : 0;
  return br * ds + 4 * bc * ds + pTiles + 2 * 4 * br;
}

/**
 * The kernel FusebenchSDPA runs for head dim `d` on `path` (the row kernel above SDPA_FLASH_MAX_HEAD_DIM).
 * `aligned16`: every tensor starts on a 16-byte boundary, so rows of D % 4 == 0 floats copy 16 bytes at a time.
 */
export function sdpaCudaKernel(d: number, path: SdpaCudaPath, aligned16 = true): SdpaCudaKernel {
  if (!Number.isInteger(d) || d < 1 || d > SDPA_MAX_HEAD_DIM) throw new Error(`FusebenchSDPA on cuda: head dim ${d} outside 1..${SDPA_MAX_HEAD_DIM}`);
  if (d > SDPA_FLASH_MAX_HEAD_DIM) return rowKernel(d);
  const dp = paddedDim(d);
  const vec = d % 4 === 0 && aligned16;
  const entry = `fb_sdpa_${path}_d${d}${vec || d % 4 !== 0 ? '' : '_a4'}`;
  const source = `${FLASH_COMMON}
#define D ${d}
#define DP ${dp}
#define KW ${keysPerWarp(dp)}
#define VEC ${vec ? 1 : 0}
${FLASH_TILES}
${path === 'fp32' ? FLASH_FP32_BODY : FLASH_MMA_BODY(path === 'tf32x3')}
${flashKernel(entry, path)}
${UNDEF_FLASH}
`;
  return { source, entry, rowsPerBlock: SDPA_ROWS_PER_BLOCK, threads: SDPA_THREADS, smemBytes: flashSmemFloats(dp, path) * 4, path };
}

/** Every variant CI compiles (test/cuda/codegen.test.ts) and the resource dump prints. */
export function sdpaCudaCatalog(): SdpaCudaKernel[] {
  const out: SdpaCudaKernel[] = [];
  for (const path of SDPA_CUDA_PATHS) for (const d of [64, 128, 33]) out.push(sdpaCudaKernel(d, path));
  out.push(sdpaCudaKernel(256, 'fp32'));
  return out;
}

// ---- the flash kernel ---------------------------------------------------------------------------

/** Device helpers: cp.async with zero fill, and the TF32 conversion and mma (inline PTX; the CPU emulation supplies its own). */
const FLASH_COMMON = String.raw`
#define BR 16
#define NW 4
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

/** Tile geometry and the cp.async tile loader. */
const FLASH_TILES = String.raw`
#define DS (DP + 4)          /* shared row stride in floats: rows 4 banks apart, so the access patterns below are conflict-free */
#define BC (NW * KW)         /* keys per tile */
#define CW (KW / 4)          /* fp32 path: keys per lane per tile */
#define PS (KW + 4)          /* fp32 path: row stride of a warp's probability tile */

/* Loads rows [0, ROWS) of a [*, D] matrix at g into s [ROWS][DS]; rows ≥ nvalid and columns ≥ D become zeros. */
template <int ROWS>
__device__ __forceinline__ void fb_load_tile(float* s, const float* g, int nvalid) {
#if VEC
  constexpr int CH = DP / 4;
  for (int i = threadIdx.x; i < ROWS * CH; i += NW * 32) {
    const int r = i / CH, c = (i % CH) * 4;
    const bool ok = r < nvalid && c < D;
    fb_cp16(s + r * DS + c, ok ? g + (size_t)r * D + c : g, ok);
  }
#else
  for (int i = threadIdx.x; i < ROWS * DP; i += NW * 32) {
    const int r = i / DP, c = i % DP;
    const bool ok = r < nvalid && c < D;
    fb_cp4(s + r * DS + c, ok ? g + (size_t)r * D + c : g, ok);
  }
#endif
}
`;

/**
 * fp32 path. State per lane: S layout (lane = 4·rg + cg) rows rg and rg+8, keys cg + 4j of the warp's KW;
 * O layout (lane = 8·og + oc) rows og + 4i, columns 4·oc + 32·jj (+0..3).
 */
const FLASH_FP32_BODY = String.raw`
#define FB_OROWS 4
#define FB_OCOLS (DP / 32)
struct FbState {
  float m[2], l[2];
  float4 o[FB_OROWS][FB_OCOLS];
};
__device__ __forceinline__ void fb_state_init(FbState& st) {
  st.m[0] = st.m[1] = FB_NEG_INF;
  st.l[0] = st.l[1] = 0.f;
#pragma unroll
  for (int i = 0; i < FB_OROWS; ++i)
#pragma unroll
    for (int jj = 0; jj < FB_OCOLS; ++jj) st.o[i][jj] = make_float4(0.f, 0.f, 0.f, 0.f);
}
/* One tile: this warp's KW keys (kt, vt: their first rows in shared memory; key0: the first key's index). */
__device__ __forceinline__ void fb_tile(FbState& st, const float* qs, const float* kt, const float* vt, float* pw, float* aw,
                                        int key0, int seq, float scale_log2) {
  const int lane = threadIdx.x & 31, rg = lane >> 2, cg = lane & 3;
  float s[2][CW];
#pragma unroll
  for (int j = 0; j < CW; ++j) s[0][j] = s[1][j] = 0.f;
#pragma unroll
  for (int k4 = 0; k4 < DP; k4 += 4) {
    const float4 qa = *reinterpret_cast<const float4*>(qs + rg * DS + k4);
    const float4 qb = *reinterpret_cast<const float4*>(qs + (rg + 8) * DS + k4);
#pragma unroll
    for (int j = 0; j < CW; ++j) {
      const float4 kk = *reinterpret_cast<const float4*>(kt + (cg + 4 * j) * DS + k4);
      s[0][j] = fmaf(qa.x, kk.x, fmaf(qa.y, kk.y, fmaf(qa.z, kk.z, fmaf(qa.w, kk.w, s[0][j]))));
      s[1][j] = fmaf(qb.x, kk.x, fmaf(qb.y, kk.y, fmaf(qb.z, kk.z, fmaf(qb.w, kk.w, s[1][j]))));
    }
  }
#pragma unroll
  for (int i = 0; i < 2; ++i) {
    float mx = FB_NEG_INF;
#pragma unroll
    for (int j = 0; j < CW; ++j) {
      s[i][j] = key0 + cg + 4 * j < seq ? s[i][j] * scale_log2 : FB_NEG_INF;
      mx = fmaxf(mx, s[i][j]);
    }
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
    mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
    const float mnew = fmaxf(st.m[i], mx);
    /* A row with no valid key yet keeps m = -inf; 0 as the reference keeps exp2 away from inf - inf. */
    const float mref = mnew == FB_NEG_INF ? 0.f : mnew;
    const float alpha = exp2f(st.m[i] - mref);
    st.m[i] = mnew;
    float sum = 0.f;
#pragma unroll
    for (int j = 0; j < CW; ++j) {
      const float p = exp2f(s[i][j] - mref);
      sum += p;
      pw[(rg + 8 * i) * PS + cg + 4 * j] = p;
    }
    st.l[i] = st.l[i] * alpha + sum;
    if (cg == 0) aw[rg + 8 * i] = alpha;
  }
  __syncwarp();
  const int og = lane >> 3, oc = lane & 7;
#pragma unroll
  for (int i = 0; i < FB_OROWS; ++i) {
    const float a = aw[og + 4 * i];
#pragma unroll
    for (int jj = 0; jj < FB_OCOLS; ++jj) { st.o[i][jj].x *= a; st.o[i][jj].y *= a; st.o[i][jj].z *= a; st.o[i][jj].w *= a; }
  }
#pragma unroll
  for (int c4 = 0; c4 < KW; c4 += 4) {
    float4 p[FB_OROWS];
#pragma unroll
    for (int i = 0; i < FB_OROWS; ++i) p[i] = *reinterpret_cast<const float4*>(pw + (og + 4 * i) * PS + c4);
#pragma unroll
    for (int cc = 0; cc < 4; ++cc) {
#pragma unroll
      for (int jj = 0; jj < FB_OCOLS; ++jj) {
        const float4 vv = *reinterpret_cast<const float4*>(vt + (c4 + cc) * DS + 4 * oc + 32 * jj);
#pragma unroll
        for (int i = 0; i < FB_OROWS; ++i) {
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
/* The row sums over the 4 lanes of a row, and this lane's rows as the combine sees them. */
__device__ __forceinline__ void fb_state_rows(FbState& st, int lane, int& r0, int& r1) {
#pragma unroll
  for (int i = 0; i < 2; ++i) {
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 1);
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 2);
  }
  r0 = lane >> 2;
  r1 = r0 + 8;
}
/* Writes this warp's output rows, each multiplied by its factor f(row), into red [BR][DP]. */
template <typename F>
__device__ __forceinline__ void fb_state_store(const FbState& st, float* red, F f) {
  const int lane = threadIdx.x & 31, og = lane >> 3, oc = lane & 7;
#pragma unroll
  for (int i = 0; i < FB_OROWS; ++i) {
    const int row = og + 4 * i;
    const float g = f(row);
#pragma unroll
    for (int jj = 0; jj < FB_OCOLS; ++jj) {
      const float4 o = st.o[i][jj];
      *reinterpret_cast<float4*>(red + row * DP + 4 * oc + 32 * jj) = make_float4(o.x * g, o.y * g, o.z * g, o.w * g);
    }
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
#define FB_NT (KW / 8)       /* 8-key blocks per warp per tile */
#define FB_ND (DP / 8)       /* 8-column blocks of the output */
struct FbState {
  float m[2], l[2];
  float o[FB_ND][4];
};
__device__ __forceinline__ void fb_state_init(FbState& st) {
  st.m[0] = st.m[1] = FB_NEG_INF;
  st.l[0] = st.l[1] = 0.f;
#pragma unroll
  for (int n = 0; n < FB_ND; ++n) st.o[n][0] = st.o[n][1] = st.o[n][2] = st.o[n][3] = 0.f;
}
__device__ __forceinline__ void fb_tile(FbState& st, const float* qs, const float* kt, const float* vt, float* pw, float* aw,
                                        int key0, int seq, float scale_log2) {
  (void)pw; (void)aw;
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  /* s[n][e]: row g (e 0, 1) or g+8 (e 2, 3), key 8n + 2t + (e & 1). */
  float s[FB_NT][4];
#pragma unroll
  for (int n = 0; n < FB_NT; ++n) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.f;
#pragma unroll
  for (int k0 = 0; k0 < DP; k0 += 8) {
    const FbFrag a0 = fb_frag(qs[g * DS + k0 + t]), a1 = fb_frag(qs[(g + 8) * DS + k0 + t]);
    const FbFrag a2 = fb_frag(qs[g * DS + k0 + t + 4]), a3 = fb_frag(qs[(g + 8) * DS + k0 + t + 4]);
#pragma unroll
    for (int n = 0; n < FB_NT; ++n) {
      const float* kr = kt + (8 * n + g) * DS + k0;
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
        x = key0 + 8 * n + 2 * t + e < seq ? x * scale_log2 : FB_NEG_INF;
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
__device__ __forceinline__ void fb_state_rows(FbState& st, int lane, int& r0, int& r1) {
#pragma unroll
  for (int i = 0; i < 2; ++i) {
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 1);
    st.l[i] += __shfl_xor_sync(0xffffffffu, st.l[i], 2);
  }
  r0 = lane >> 2;
  r1 = r0 + 8;
}
template <typename F>
__device__ __forceinline__ void fb_state_store(const FbState& st, float* red, F f) {
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  const float f0 = f(g), f1 = f(g + 8);
#pragma unroll
  for (int nd = 0; nd < FB_ND; ++nd) {
    red[g * DP + 8 * nd + 2 * t] = st.o[nd][0] * f0;
    red[g * DP + 8 * nd + 2 * t + 1] = st.o[nd][1] * f0;
    red[(g + 8) * DP + 8 * nd + 2 * t] = st.o[nd][2] * f1;
    red[(g + 8) * DP + 8 * nd + 2 * t + 1] = st.o[nd][3] * f1;
  }
}
`;

/** The kernel: pipeline over key tiles, then the combine of the four warps' partial results. */
function flashKernel(entry: string, path: SdpaCudaPath): string {
  const pTiles = path === 'fp32';
  return String.raw`
/* Params: out, q, k, v [BH, seq, D]; seq; scale·log2(e). Grid (ceil(seq / BR), BH), block 128, dynamic smem. */
extern "C" __global__ void __launch_bounds__(NW * 32) ${entry}(float* __restrict__ out, const float* __restrict__ q,
    const float* __restrict__ k, const float* __restrict__ v, int seq, float scale_log2) {
#ifdef FB_EMULATE
  float* fb_smem = fb_emulate_dynamic_smem();
#else
  extern __shared__ __align__(16) float fb_smem[];
#endif
  float* qs = fb_smem;                 /* [BR][DS] */
  float* ks = qs + BR * DS;            /* [2][BC][DS] */
  float* vs = ks + 2 * BC * DS;        /* [2][BC][DS] */
  float* pw_all = vs + 2 * BC * DS;    /* fp32 path: [NW][BR][PS] probabilities, then [NW][BR] alphas */
  float* ms = pw_all + ${pTiles ? 'NW * BR * PS + NW * BR' : '0'};  /* [NW][BR] */
  float* ls = ms + NW * BR;            /* [NW][BR] */
  const int lane = threadIdx.x & 31, w = threadIdx.x >> 5;
  const size_t head = (size_t)blockIdx.y * (size_t)seq * D;
  const int q0 = blockIdx.x * BR;
  const float* kh = k + head;
  const float* vh = v + head;
  float* pw = pw_all + w * BR * PS;
  float* aw = pw_all + NW * BR * PS + w * BR;

  fb_load_tile<BR>(qs, q + head + (size_t)q0 * D, seq - q0);
  fb_load_tile<BC>(ks, kh, seq);
  fb_load_tile<BC>(vs, vh, seq);
  fb_cp_commit();
  FbState st;
  fb_state_init(st);
  const int ntiles = (seq + BC - 1) / BC;
  for (int tile = 0; tile < ntiles; ++tile) {
    const int buf = tile & 1;
    if (tile + 1 < ntiles) {
      /* The other stage was last read in the previous iteration, which ended with __syncthreads. */
      const int k1 = (tile + 1) * BC;
      fb_load_tile<BC>(ks + (buf ^ 1) * BC * DS, kh + (size_t)k1 * D, seq - k1);
      fb_load_tile<BC>(vs + (buf ^ 1) * BC * DS, vh + (size_t)k1 * D, seq - k1);
      fb_cp_commit();
      fb_cp_wait<1>();
    } else {
      fb_cp_wait<0>();
    }
    __syncthreads();
    fb_tile(st, qs, ks + buf * BC * DS + w * KW * DS, vs + buf * BC * DS + w * KW * DS, pw, aw, tile * BC + w * KW, seq, scale_log2);
    __syncthreads();
  }

  /* Combine: out(row) = Σ_w 2^(m_w - M) O_w / Σ_w 2^(m_w - M) l_w with M = max_w m_w. */
  int r0, r1;
  fb_state_rows(st, lane, r0, r1);
  if ((lane & 3) == 0) {
    ms[w * BR + r0] = st.m[0]; ls[w * BR + r0] = st.l[0];
    ms[w * BR + r1] = st.m[1]; ls[w * BR + r1] = st.l[1];
  }
  __syncthreads();
  float* red = ks;                     /* [NW][BR][DP]: the K stages are free now */
  fb_state_store(st, red + w * BR * DP, [&](int row) {
    float mx = FB_NEG_INF;
#pragma unroll
    for (int u = 0; u < NW; ++u) mx = fmaxf(mx, ms[u * BR + row]);
    float l = 0.f;
#pragma unroll
    for (int u = 0; u < NW; ++u) l += ls[u * BR + row] * exp2f(ms[u * BR + row] - mx);
    return exp2f(ms[w * BR + row] - mx) / l;
  });
  __syncthreads();
  float* og = out + head + (size_t)q0 * D;
  const int rows = min(BR, seq - q0);
#if VEC
  for (int e = threadIdx.x; e < rows * (D / 4); e += NW * 32) {
    const int r = e / (D / 4), c = (e % (D / 4)) * 4;
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll
    for (int u = 0; u < NW; ++u) {
      const float4 x = *reinterpret_cast<const float4*>(red + (u * BR + r) * DP + c);
      acc.x += x.x; acc.y += x.y; acc.z += x.z; acc.w += x.w;
    }
    *reinterpret_cast<float4*>(og + (size_t)r * D + c) = acc;
  }
#else
  for (int e = threadIdx.x; e < rows * D; e += NW * 32) {
    const int r = e / D, c = e % D;
    float acc = 0.f;
#pragma unroll
    for (int u = 0; u < NW; ++u) acc += red[(u * BR + r) * DP + c];
    og[(size_t)r * D + c] = acc;
  }
#endif
}
`;
}

/** The macros above, undefined at the end so that sources compiled together (CI's PTX check) do not see them. */
const UNDEF_FLASH = ['BR', 'NW', 'FB_NEG_INF', 'D', 'DP', 'KW', 'VEC', 'DS', 'BC', 'CW', 'PS', 'FB_OROWS', 'FB_OCOLS', 'FB_NT', 'FB_ND']
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
  return { source, entry, rowsPerBlock: ROW_THREADS, threads: ROW_THREADS, smemBytes: 0, path: 'rows' };
}
