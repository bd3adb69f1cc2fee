/**
 * FusebenchSDPA on cuda: the flash kernel of ./cuda_source.ts (one launch, no S×S scores in memory).
 * FUSEBENCH_CUDA_SDPA picks the arithmetic: fp32 (default), tf32 or tf32x3; sdpaCudaPathName() says what ran.
 * The tiling (warps per block, keys per tile, cluster split of the key range) comes from sdpaCudaTilingFor(),
 * unless a bench pins one with setSdpaCudaTiling().
 *
 * Host cost per call: one environment read, a few integer operations and one Map lookup; the kernel's source
 * is generated and compiled once per (head dim, path, tiling, alignment), never on the per-call path.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import type { Kernel } from '../../backends/cuda/runtime/launcher.ts';
import { arg } from '../../backends/cuda/runtime/launcher.ts';
import { SDPA } from '../names.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';
import {
  defaultSdpaTiling, SDPA_CUDA_PATHS, SDPA_FLASH_MAX_HEAD_DIM, SDPA_KEY_TILES, SDPA_ROWS_PER_WARP, SDPA_SPLITS, SDPA_WARP_COUNTS,
  sdpaCudaKernel, type SdpaCudaKernel, type SdpaCudaPath, type SdpaCudaTiling,
} from './cuda_source.ts';

export const SDPA_CUDA_ENV = 'FUSEBENCH_CUDA_SDPA';
/** The path when FUSEBENCH_CUDA_SDPA is unset. */
export const SDPA_CUDA_DEFAULT_PATH: SdpaCudaPath = 'fp32';
const MAX_GRID_Y = 65535;

/** The arithmetic path FUSEBENCH_CUDA_SDPA asks for: unset or empty means the default; anything else unknown is an error naming the variable. */
export function sdpaCudaPath(env: Readonly<Record<string, string | undefined>> = process.env): SdpaCudaPath {
  return parsePath(env[SDPA_CUDA_ENV]);
}

function parsePath(v: string | undefined): SdpaCudaPath {
  if (v === undefined || v === '') return SDPA_CUDA_DEFAULT_PATH;
  if ((SDPA_CUDA_PATHS as readonly string[]).includes(v)) return v as SdpaCudaPath;
  throw new Error(`${SDPA_CUDA_ENV} must be one of ${SDPA_CUDA_PATHS.join(', ')} (got ${JSON.stringify(v)})`);
}

/** What FusebenchSDPA runs on cuda for head dim `d` (default 64), in words, for reports. */
export function sdpaCudaPathName(d = 64, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (d > SDPA_FLASH_MAX_HEAD_DIM) return `rows (one thread per query row; head dim ${d} > ${SDPA_FLASH_MAX_HEAD_DIM})`;
  const path = sdpaCudaPath(env);
  const what = path === 'fp32' ? 'fp32 FFMA' : path === 'tf32' ? 'TF32 mma.sync (inputs rounded to 10-bit mantissa), fp32 accumulation' : '3xTF32 mma.sync (split operands, near-fp32), fp32 accumulation';
  const how = env[SDPA_CUDA_ENV] ? `${SDPA_CUDA_ENV}=${env[SDPA_CUDA_ENV]}` : `${SDPA_CUDA_ENV} unset`;
  return `flash ${path}: ${what} (${how})`;
}

/** What the host heuristic needs to know of the GPU. */
export interface SdpaGpu {
  readonly smCount: number;
  /** Thread-block clusters (compute capability 9.0 and up). */
  readonly clusters: boolean;
}

/**
 * The tiling for [bh, s, d]. A block is 4 warps (64 query rows) and reads 64-key tiles (32 above D = 64). Where
 * B = BH × ceil(S/64) blocks would leave the SMs idle, the key range is split over a cluster of 2, 4 or 8 blocks:
 * the split doubles while the blocks stay under one per SM and each block keeps at least one key tile. Where even
 * that leaves more than half the SMs idle (small S), the key tiles shrink first (to 32, then 16 keys), so that the
 * split can go further: a warp's serial work is its 16 rows × S/split keys, which is the latency at those sizes.
 */
export function sdpaCudaTilingFor(bh: number, s: number, d: number, gpu: SdpaGpu): SdpaCudaTiling {
  const base = defaultSdpaTiling(d);
  const blocks = bh * Math.ceil(s / (SDPA_ROWS_PER_WARP * base.warps));
  let keysPerTile = base.keysPerTile;
  let split: SdpaCudaTiling['split'] = 1;
  if (gpu.clusters) {
    while (keysPerTile > 16 && blocks * Math.ceil(s / keysPerTile) < gpu.smCount / 2) keysPerTile = (keysPerTile / 2) as SdpaCudaTiling['keysPerTile'];
    const tiles = Math.ceil(s / keysPerTile);
    while (split < 8 && blocks * split < gpu.smCount && split * 2 <= tiles) split = (split * 2) as SdpaCudaTiling['split'];
  }
  return { warps: base.warps, keysPerTile, split };
}

let pinned: SdpaCudaTiling | undefined;

/** Pins the tiling of every later call (benches comparing tilings); undefined returns to sdpaCudaTilingFor. */
export function setSdpaCudaTiling(t: SdpaCudaTiling | undefined): void {
  pinned = t;
}

interface Compiled { readonly plan: SdpaCudaKernel; readonly kernel: Kernel }
/** Per compiler (one per CUDA context): numeric plan key → compiled kernel. */
const compiledBy = new WeakMap<object, Map<number, Compiled>>();

const pathIndex: Readonly<Record<SdpaCudaPath, number>> = { fp32: 0, tf32: 1, tf32x3: 2 };
const idx = (list: readonly number[], v: number): number => list.indexOf(v);

/** One number per (d, path, tiling, alignment): the memo key, with no string built per call. */
function planKey(d: number, path: SdpaCudaPath, t: SdpaCudaTiling, aligned16: boolean): number {
  let key = d * SDPA_CUDA_PATHS.length + pathIndex[path];
  key = key * SDPA_WARP_COUNTS.length + idx(SDPA_WARP_COUNTS, t.warps);
  key = key * SDPA_KEY_TILES.length + idx(SDPA_KEY_TILES, t.keysPerTile);
  key = key * SDPA_SPLITS.length + idx(SDPA_SPLITS, t.split);
  return key * 2 + (aligned16 ? 1 : 0);
}

function compiled(b: CudaBackend, d: number, path: SdpaCudaPath, t: SdpaCudaTiling, aligned16: boolean): Compiled {
  const compiler = b.rt.compiler;
  let memo = compiledBy.get(compiler);
  if (!memo) compiledBy.set(compiler, (memo = new Map()));
  const key = planKey(d, path, t, aligned16);
  let c = memo.get(key);
  if (!c) {
    const plan = sdpaCudaKernel(d, path, t, aligned16);
    const kernel = compiler.kernel(plan.source, plan.entry);
    if (plan.smemBytes > 48 * 1024) b.rt.driver.setMaxDynamicShared(kernel.fn, plan.smemBytes);
    c = { plan, kernel };
    memo.set(key, c);
  }
  return c;
}

let lastEnv: string | undefined;
let lastPath: SdpaCudaPath = SDPA_CUDA_DEFAULT_PATH;
let gpuFacts: { rt: object; gpu: SdpaGpu } | undefined;
/** Why cluster launches were given up in this process (the first one failed), or undefined while they work. */
let clustersRefused: string | undefined;

/** Why FusebenchSDPA stopped splitting the key range over clusters in this process, if it did (for reports). */
export function sdpaCudaClustersRefused(): string | undefined {
  return clustersRefused;
}

/** The plan a call on `b` with [bh, s, d] runs (the kernel compiled on first use): for the call itself and for reports. */
export function sdpaCudaPlan(b: CudaBackend, bh: number, s: number, d: number, aligned16 = true): SdpaCudaKernel {
  return compiledFor(b, bh, s, d, aligned16).plan;
}

function compiledFor(b: CudaBackend, bh: number, s: number, d: number, aligned16: boolean): Compiled {
  const env = process.env[SDPA_CUDA_ENV];
  if (env !== lastEnv) {
    lastPath = parsePath(env);
    lastEnv = env;
  }
  if (gpuFacts?.rt !== b.rt) {
    const f = b.rt.facts;
    gpuFacts = { rt: b.rt, gpu: { smCount: f.smCount, clusters: clustersRefused === undefined && Number.parseFloat(f.computeCapability) >= 9 } };
  }
  const tiling = d > SDPA_FLASH_MAX_HEAD_DIM ? defaultSdpaTiling(64) : pinned ?? sdpaCudaTilingFor(bh, s, d, gpuFacts.gpu);
  return compiled(b, d, lastPath, tiling, aligned16);
}

const sdpa: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const ins = inputs as Record<string, TensorInfo>;
  const q = requireInput(ins, 'q', SDPA), k = requireInput(ins, 'k', SDPA), v = requireInput(ins, 'v', SDPA);
  const { bh, s, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(attrs?.scale, d, SDPA);
  const out = b.makeOutput(q.shape, 'float32');
  if (bh * s * d === 0) return out;
  if (bh > MAX_GRID_Y) throw new Error(`${SDPA}: BH = ${bh} heads exceed the cuda kernel's grid limit of ${MAX_GRID_Y}`);
  const po = b.ptr(out), pq = b.ptr(q), pk = b.ptr(k), pv = b.ptr(v);
  const aligned16 = ((po | pq | pk | pv) & 15) === 0; // the low bits survive | on 64-bit addresses
  const args = [arg.ptr(po), arg.ptr(pq), arg.ptr(pk), arg.ptr(pv), arg.i32(s), arg.f32(scale * Math.LOG2E)];
  let c = compiledFor(b, bh, s, d, aligned16);
  try {
    b.rt.launcher.launch(c.kernel, [Math.ceil(s / c.plan.rowsPerBlock) * c.plan.split, bh], [c.plan.threads], args, c.plan.smemBytes);
  } catch (e) {
    // A cluster launch the driver refuses (a configuration error, reported at launch and not sticky): split no more.
    if (c.plan.split === 1 || pinned) throw e;
    clustersRefused = `cluster launch of ${c.plan.entry} failed: ${(e as Error).message}`;
    gpuFacts = undefined;
    c = compiledFor(b, bh, s, d, aligned16);
    b.rt.launcher.launch(c.kernel, [Math.ceil(s / c.plan.rowsPerBlock) * c.plan.split, bh], [c.plan.threads], args, c.plan.smemBytes);
  }
  return out;
};

export const sdpaCudaConfig: KernelConfig = { kernelName: SDPA, backendName: 'cuda', kernelFunc: sdpa };
