/** The harness's view of the cuda backend (backends/cuda/): libcuda + NVRTC + cuBLASLt through koffi. */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../../harness/core/types.ts';
import type { CudaBackend } from './backend.ts';
import { nvidiaDeviceState } from '../common/nvidia-smi.ts';
import { hostTrips } from './host_trips.ts';
import { FALLBACK_KERNELS } from './fallback_kernels.ts';

let facts: DeviceInfo | undefined;
let convModule: typeof import('./ops/conv.ts') | undefined;
let runtimeModule: typeof import('./runtime/context.ts') | undefined;

async function runtime(): Promise<typeof import('./runtime/context.ts')> {
  return import('./runtime/context.ts');
}

export const cudaBackend: BackendAdapter = {
  name: 'cuda',
  kind: 'gpu',
  hasKernelTiming: true,
  async detect(): Promise<Availability> {
    try {
      const { CudaRuntime } = await runtime();
      const rt = CudaRuntime.open();
      const f = rt.facts;
      await cudaDeviceInfo();
      return { available: true, reason: `${f.name} (sm_${f.computeCapability.replace('.', '')}), driver ${f.driverVersion}, NVRTC ${f.nvrtcVersion}, cuBLASLt ${f.cublasLtVersion}; convs: cuDNN where faster per shape, else im2col + cuBLASLt` };
    } catch (e) {
      return {
        available: false,
        reason: `cuda: ${(e as Error).message}`,
        installHint: 'needs an NVIDIA driver (libcuda) plus libnvrtc and libcublasLt (CUDA toolkit, or pip nvidia-* wheels); FUSEBENCH_CUDA_LIBS=dir1:dir2 points at them',
      };
    }
  },
  async init(): Promise<void> {
    const { registerCudaBackend } = await import('./register.ts');
    await registerCudaBackend();
    if (!(await tf.setBackend('cuda'))) throw new Error('tf.setBackend("cuda") failed');
    await tf.ready();
    await cudaDeviceInfo();
  },
  // Every fusebench launch (kernels, cuBLASLt, cuDNN) goes to the legacy default stream: waiting for it is the fence.
  async sync(): Promise<void> {
    cudaBackendNow().synchronize();
  },
  async deviceTime(issue: () => void): Promise<number | undefined> {
    return cudaBackendNow().rt.hold.time(issue);
  },
  async evictCache(): Promise<void> {
    cudaBackendNow().rt.evictL2();
  },
  get evictionMethod(): string {
    const rt = cudaBackendNow().rt;
    return `cuMemsetD32 of ${(rt.evictionBytes / 2 ** 20).toFixed(0)} MiB on the stream before each sample (2 × the ${(rt.facts.l2Bytes / 2 ** 20).toFixed(0)} MiB L2)`;
  },
  deviceState: nvidiaDeviceState,
  // Fallback kernels and value read-backs (backends/cuda/host_trips.ts): the harness never times a variant that makes them.
  hostTrips,
  fallbackKernels: FALLBACK_KERNELS,
  describe(): DeviceInfo {
    if (!facts) return { description: 'cuda (not initialised: call detect() or init() first)' };
    return { ...facts, convPath: convPathNow() };
  },
  async teardown(): Promise<void> {
    const b = tf.findBackend('cuda') as { emptyCache?: () => void } | null;
    b?.emptyCache?.();
  },
};

/** The registered cuda backend instance (after init). */
function cudaBackendNow(): CudaBackend {
  const b = tf.findBackend('cuda');
  if (!b) throw new Error('cuda backend is not initialised: call init() first');
  return b as CudaBackend;
}

/** Called by init paths that already opened the runtime, so describe() can stay synchronous. */
export async function cudaDeviceInfo(): Promise<DeviceInfo> {
  runtimeModule = await runtime();
  convModule = await import('./ops/conv.ts');
  const f = runtimeModule.CudaRuntime.open().facts;
  facts = {
    description: `${f.name}, compute ${f.computeCapability}, ${f.smCount} SMs, ${(f.totalMemBytes / 2 ** 30).toFixed(1)} GiB, driver ${f.driverVersion}`,
    gpu: f.name,
    computeCapability: f.computeCapability,
    smCount: f.smCount,
    driver: f.driverVersion,
    nvrtc: f.nvrtcVersion,
    cublasLt: f.cublasLtVersion,
    libnvrtc: f.libraries.nvrtc ?? '',
    libcublasLt: f.libraries.cublasLt ?? '',
  };
  return facts;
}

/**
 * Which convolution path runs: cuDNN's state (opened on the first conv) and, per conv signature seen so far,
 * the path chosen on first use (both timed, the faster kept), e.g. "mode auto; cuDNN 9.10.2 (...); 3 conv shapes: 2 on cuDNN, 1 on im2col …".
 */
function convPathNow(): string {
  if (!runtimeModule || !convModule) return 'unknown (not initialised)';
  const mode = process.env.FUSEBENCH_CUDA_CONV || 'auto';
  const status = runtimeModule.CudaRuntime.open().cudnnStatus();
  const list = [...convModule.convChoices().values()];
  if (list.length === 0) return `mode ${mode}; ${status}; no Conv2D run yet`;
  const n = (p: string): number => list.filter((c) => c.path === p).length;
  const reasons = [...new Set(list.map((c) => c.reason).filter((r): r is string => Boolean(r)))];
  return `mode ${mode}; ${status}; ${list.length} conv shapes: ${n('cudnn')} on cuDNN, ${n('im2col')} on im2col + cuBLASLt${reasons.length ? ` (im2col because: ${reasons.join('; ')})` : ''}`;
}
