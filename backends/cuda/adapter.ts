/** The harness's view of the cuda backend (backends/cuda/): libcuda + NVRTC + cuBLASLt through koffi. */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../../harness/types.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';

let facts: DeviceInfo | undefined;

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
      return { available: true, reason: `${f.name} (sm_${f.computeCapability.replace('.', '')}), driver ${f.driverVersion}, NVRTC ${f.nvrtcVersion}, cuBLASLt ${f.cublasLtVersion}; convs: im2col + cuBLASLt (no cuDNN)` };
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
    await registerFusebenchKernels('cuda');
    await cudaDeviceInfo();
  },
  async sync(t: tf.Tensor): Promise<void> {
    await t.data();
  },
  describe(): DeviceInfo {
    return facts ?? { description: 'cuda (not initialised: call detect() or init() first)' };
  },
  async teardown(): Promise<void> {
    const b = tf.findBackend('cuda') as { emptyCache?: () => void } | null;
    b?.emptyCache?.();
  },
};

/** Called by init paths that already opened the runtime, so describe() can stay synchronous. */
export async function cudaDeviceInfo(): Promise<DeviceInfo> {
  const { CudaRuntime } = await runtime();
  const f = CudaRuntime.open().facts;
  facts = {
    description: `${f.name}, compute ${f.computeCapability}, ${f.smCount} SMs, ${(f.totalMemBytes / 2 ** 30).toFixed(1)} GiB, driver ${f.driverVersion}`,
    gpu: f.name,
    computeCapability: f.computeCapability,
    smCount: f.smCount,
    driver: f.driverVersion,
    nvrtc: f.nvrtcVersion,
    cublasLt: f.cublasLtVersion,
    convolutions: 'im2col + cuBLASLt GEMM (cuDNN not used)',
    geluEpilogue: process.env.FUSEBENCH_CUDA_GELU_EPILOGUE === 'tanh' ? 'cuBLASLt GELU (tanh approximation)' : 'bias epilogue + exact erf GELU pass',
    libnvrtc: f.libraries.nvrtc ?? '',
    libcublasLt: f.libraries.cublasLt ?? '',
  };
  return facts;
}
