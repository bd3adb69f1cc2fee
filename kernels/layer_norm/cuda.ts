/**
 * FusebenchLayerNorm on cuda: one launch, each row read from device memory once and written once.
 *
 * The row lives in registers: a warp per row up to D = 1024 (four rows per block of 128), a block per row up
 * to D = 32768 (256–1024 threads; 16384 for unaligned rows), float4 loads and stores when D % 4 = 0 and every pointer is 16-byte aligned.
 * Each thread issues all its loads before the first reduction (bytes in flight); mean and variance are exact
 * two-pass sums over the registers (warp shuffles, plus shared memory across warps). Longer rows fall back to a
 * loop that re-reads the row from L1/L2 for each pass.
 * Bytes: 4·rows·D read + 4·rows·D written + 8·D of γ, β (from L2 after the first rows); FLOPs ≈ 8 per element.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { PRELUDE } from '../../backends/cuda/codegen/prelude.ts';
import type { Kernel } from '../../backends/cuda/runtime/launcher.ts';
import { LAYER_NORM } from '../names.ts';
import { layerNormDims, layerNormEpsilon, requireInput } from '../common/shape_checks.ts';

/** Rows up to this many columns are held by one warp (32 floats per lane at most). */
export const LN_WARP_MAX_D = 1024;
/**
 * Floats of x a thread of a block-per-row kernel holds: 1024 threads leave 64 registers each, which 8 float4
 * fit (62 registers for sm_90 with ptxas 13) and 32 scalar floats do not (they spill), so scalar rows stop at 16.
 */
const BLOCK_MAX_FLOATS = { vec4: 32, scalar: 16 } as const;
/** Rows up to this many columns are held by one block of at most 1024 threads (scalar rows: half). */
export const LN_BLOCK_MAX_D = 1024 * BLOCK_MAX_FLOATS.vec4;
export const LN_WARPS_PER_BLOCK = 4;

export type LayerNormShape = 'warp' | 'block' | 'loop';

export interface LayerNormPlan {
  readonly shape: LayerNormShape;
  /** float4 loads and stores (D % 4 = 0, 16-byte aligned pointers). */
  readonly vec4: boolean;
  /** Values each thread holds: float4s when vec4, floats otherwise (0 for 'loop'). */
  readonly perThread: number;
  readonly threads: number;
  /** Rows each block normalises. */
  readonly rowsPerBlock: number;
  readonly entry: string;
  readonly source: string;
}

/** The kernel for rows of `d` columns; `aligned16`: out, x, γ and β all start on a 16-byte boundary. */
export function layerNormPlan(d: number, aligned16: boolean): LayerNormPlan {
  const vec4 = aligned16 && d % 4 === 0;
  const width = vec4 ? 4 : 1;
  if (d <= LN_WARP_MAX_D) {
    const perThread = Math.max(1, Math.ceil(d / (32 * width)));
    return build('warp', vec4, perThread, 32 * LN_WARPS_PER_BLOCK, LN_WARPS_PER_BLOCK);
  }
  const maxFloats = vec4 ? BLOCK_MAX_FLOATS.vec4 : BLOCK_MAX_FLOATS.scalar;
  if (d <= 1024 * maxFloats) {
    let threads = 256;
    while (threads < 1024 && Math.ceil(d / (threads * width)) * width > maxFloats) threads *= 2;
    return build('block', vec4, Math.ceil(d / (threads * width)), threads, 1);
  }
  return build('loop', false, 0, 256, 1);
}

function build(shape: LayerNormShape, vec4: boolean, perThread: number, threads: number, rowsPerBlock: number): LayerNormPlan {
  const entry = shape === 'loop' ? 'fb_layernorm_loop' : `fb_layernorm_${shape}_${vec4 ? `f4x${perThread}` : `f${perThread}`}${shape === 'block' ? `_t${threads}` : ''}`;
  const source = shape === 'loop' ? loopSource(entry) : registerSource(entry, shape, vec4, perThread, threads);
  return { shape, vec4, perThread, threads, rowsPerBlock, entry, source };
}

const PARAMS = 'float* __restrict__ out, const float* __restrict__ in, const float* __restrict__ gamma, const float* __restrict__ beta, unsigned int rows, int d, float eps';

/**
 * The register-resident kernels: NV values per thread, strided by the threads of a row (32, or the block).
 * A warp-per-row kernel (128 threads, up to 32 floats of x per lane) also keeps γ and β in registers, loaded
 * with x; a block-per-row kernel (up to 1024 threads, so at most 64 registers each) reads them in the last pass.
 */
function registerSource(entry: string, shape: 'warp' | 'block', vec4: boolean, nv: number, threads: number): string {
  const warp = shape === 'warp';
  const T = vec4 ? 'float4' : 'float';
  const lanes = warp ? 32 : threads;
  const comps = vec4 ? ['.x', '.y', '.z', '.w'] : [''];
  const sum = comps.map((c) => `v[i]${c}`).join(' + ');
  const sq = comps.map((c) => `(v[i]${c} - mean) * (v[i]${c} - mean)`).join(' + ');
  const [G, B] = warp ? ['g[i]', 'b[i]'] : ['gi', 'bi'];
  const norm = comps.map((c) => `r${c} = (v[i]${c} - mean) * inv * ${G}${c} + ${B}${c};`).join(' ');
  const reduce = (x: string): string => (warp ? `fb_warp_sum(${x})` : `fb_block_sum(${x}, scratch)`);
  return `${PRELUDE}
#define NV ${nv}
extern "C" __global__ void __launch_bounds__(${threads}) ${entry}(${PARAMS}) {
  ${warp ? '' : '__shared__ float scratch[32];'}
  const unsigned int row = ${warp ? `blockIdx.x * ${LN_WARPS_PER_BLOCK}u + (threadIdx.x >> 5)` : 'blockIdx.x'};
  ${warp ? 'if (row >= rows) return;  /* whole warps: no block-wide barrier follows */' : ''}
  const int t = threadIdx.x${warp ? ' & 31' : ''};
  const int n = ${vec4 ? 'd >> 2' : 'd'};
  const ${T}* x = reinterpret_cast<const ${T}*>(in + (unsigned long long)row * d);
  const ${T}* gv = reinterpret_cast<const ${T}*>(gamma);
  const ${T}* bv = reinterpret_cast<const ${T}*>(beta);
  ${T}* y = reinterpret_cast<${T}*>(out + (unsigned long long)row * d);
  ${T} v[NV]${warp ? ', g[NV], b[NV]' : ''};
  float s = 0.f;
#pragma unroll
  for (int i = 0; i < NV; ++i) {
    const int c = i * ${lanes} + t;
    if (c < n) { v[i] = x[c];${warp ? ' g[i] = gv[c]; b[i] = bv[c];' : ''} s += ${sum}; }
  }
  const float mean = ${reduce('s')} / (float)d;
  float q = 0.f;
#pragma unroll
  for (int i = 0; i < NV; ++i) {
    const int c = i * ${lanes} + t;
    if (c < n) q += ${sq};
  }
  const float inv = 1.f / sqrtf(${reduce('q')} / (float)d + eps);
#pragma unroll
  for (int i = 0; i < NV; ++i) {
    const int c = i * ${lanes} + t;
    if (c < n) { ${warp ? '' : `const ${T} gi = gv[c], bi = bv[c]; `}${T} r; ${norm} y[c] = r; }
  }
}
`;
}

/** Rows longer than LN_BLOCK_MAX_D: a block per row, three passes over the row (the later two from L1/L2). */
function loopSource(entry: string): string {
  return `${PRELUDE}
extern "C" __global__ void ${entry}(${PARAMS}) {
  __shared__ float scratch[32];
  const float* x = in + (unsigned long long)blockIdx.x * d;
  float* y = out + (unsigned long long)blockIdx.x * d;
  float s = 0.f;
  for (int c = threadIdx.x; c < d; c += blockDim.x) s += x[c];
  const float mean = fb_block_sum(s, scratch) / (float)d;
  float q = 0.f;
  for (int c = threadIdx.x; c < d; c += blockDim.x) { const float e = x[c] - mean; q += e * e; }
  const float inv = 1.f / sqrtf(fb_block_sum(q, scratch) / (float)d + eps);
  for (int c = threadIdx.x; c < d; c += blockDim.x) y[c] = (x[c] - mean) * inv * gamma[c] + beta[c];
}
`;
}

/** Every kernel shape at representative widths, for the CI compile check and the CPU emulation test. */
export function layerNormCudaCatalog(): LayerNormPlan[] {
  const ds = [1, 7, 64, 768, 1000, 1024, 1536, 4100, 8192, 16384, 20000, 32768, 40000];
  const plans = ds.flatMap((d) => [layerNormPlan(d, true), layerNormPlan(d, false)]);
  return [...new Map(plans.map((p) => [p.entry, p])).values()];
}

const layerNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const ins = inputs as Record<string, TensorInfo>;
  const x = requireInput(ins, 'x', LAYER_NORM), gamma = requireInput(ins, 'gamma', LAYER_NORM), beta = requireInput(ins, 'beta', LAYER_NORM);
  const { rows, d } = layerNormDims(x, gamma, beta, LAYER_NORM);
  const eps = layerNormEpsilon(attrs?.epsilon, LAYER_NORM);
  const out = b.makeOutput(x.shape, 'float32');
  if (rows === 0 || d === 0) return out;
  const po = b.ptr(out), px = b.ptr(x), pg = b.ptr(gamma), pb = b.ptr(beta);
  const plan = planFor(d, po % 16 === 0 && px % 16 === 0 && pg % 16 === 0 && pb % 16 === 0);
  const grid = Math.ceil(rows / plan.rowsPerBlock);
  const maxRows = Math.min(0xffffffff, (2 ** 31 - 1) * plan.rowsPerBlock);
  if (rows > maxRows) throw new Error(`${LAYER_NORM}: input "x" has ${rows} rows; the cuda kernel takes at most ${maxRows}`);
  const kernel = kernelFor(b, plan);
  const L = b.rt.launcher;
  L.setU64(0, po).setU64(1, px).setU64(2, pg).setU64(3, pb).setU32(4, rows).setI32(5, d).setF32(6, eps);
  L.launchSet(kernel, grid, plan.threads);
  return out;
};

/** Plans by D and alignment, and kernels by plan: the source text is built once per width. */
const plans = new Map<number, LayerNormPlan>();
const kernels = new WeakMap<LayerNormPlan, Kernel>();
function planFor(d: number, aligned16: boolean): LayerNormPlan {
  const key = aligned16 ? d : -d;
  let p = plans.get(key);
  if (!p) plans.set(key, (p = layerNormPlan(d, aligned16)));
  return p;
}
function kernelFor(b: CudaBackend, plan: LayerNormPlan): Kernel {
  let k = kernels.get(plan);
  if (!k) kernels.set(plan, (k = b.rt.compiler.kernel(plan.source, plan.entry)));
  return k;
}

export const layerNormCudaConfig: KernelConfig = { kernelName: LAYER_NORM, backendName: 'cuda', kernelFunc: layerNorm };
