/**
 * FusebenchSDPA on cuda: the flash kernel of ./cuda_source.ts (one launch, no S×S scores in memory).
 * FUSEBENCH_CUDA_SDPA picks the arithmetic: fp32 (default), tf32 or tf32x3; sdpaCudaPathName() says what ran.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import type { Kernel } from '../../backends/cuda/runtime/launcher.ts';
import { arg } from '../../backends/cuda/runtime/launcher.ts';
import { SDPA } from '../names.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';
import { SDPA_CUDA_PATHS, SDPA_FLASH_MAX_HEAD_DIM, sdpaCudaKernel, type SdpaCudaPath } from './cuda_source.ts';

export const SDPA_CUDA_ENV = 'FUSEBENCH_CUDA_SDPA';
const MAX_GRID_Y = 65535;

/** The arithmetic path FUSEBENCH_CUDA_SDPA asks for: unset or empty means fp32; anything else unknown is an error naming the variable. */
export function sdpaCudaPath(env: Readonly<Record<string, string | undefined>> = process.env): SdpaCudaPath {
  const v = env[SDPA_CUDA_ENV];
  if (v === undefined || v === '') return 'fp32';
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

/** Kernels whose dynamic shared-memory limit was raised (once per CUfunction). */
const sharedRaised = new WeakSet<object>();

const sdpa: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const ins = inputs as Record<string, TensorInfo>;
  const q = requireInput(ins, 'q', SDPA), k = requireInput(ins, 'k', SDPA), v = requireInput(ins, 'v', SDPA);
  const { bh, s, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(attrs?.scale, d, SDPA);
  const path = sdpaCudaPath();
  const out = b.makeOutput(q.shape, 'float32');
  if (bh * s * d === 0) return out;
  if (bh > MAX_GRID_Y) throw new Error(`${SDPA}: BH = ${bh} heads exceed the cuda kernel's grid limit of ${MAX_GRID_Y}`);
  const ptrs = [b.ptr(out), b.ptr(q), b.ptr(k), b.ptr(v)];
  const plan = sdpaCudaKernel(d, path, ptrs.every((p) => p % 16 === 0));
  const kernel: Kernel = b.rt.compiler.kernel(plan.source, plan.entry);
  if (plan.smemBytes > 48 * 1024 && !sharedRaised.has(kernel as object)) {
    b.rt.driver.setMaxDynamicShared(kernel.fn, plan.smemBytes);
    sharedRaised.add(kernel as object);
  }
  b.rt.launcher.launch(kernel, [Math.ceil(s / plan.rowsPerBlock), bh], [plan.threads], [
    arg.ptr(ptrs[0]!), arg.ptr(ptrs[1]!), arg.ptr(ptrs[2]!), arg.ptr(ptrs[3]!), arg.i32(s), arg.f32(scale * Math.LOG2E),
  ], plan.smemBytes);
  return out;
};

export const sdpaCudaConfig: KernelConfig = { kernelName: SDPA, backendName: 'cuda', kernelFunc: sdpa };
