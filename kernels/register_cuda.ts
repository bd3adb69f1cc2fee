/** Every fusebench kernel for the cuda backend (backends/cuda/), registered by kernels/registry.ts after it. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { linearActCudaConfig } from './linear_act/cuda.ts';
import { layerNormCudaConfig } from './layer_norm/cuda.ts';
import { addReluCudaConfig } from './add_relu/cuda.ts';
import { sdpaCudaConfig } from './sdpa/cuda.ts';
import { qktSoftmaxCudaConfig } from './qkt_softmax/cuda.ts';
import { ternaryCudaConfigs } from './ternary/cuda/kernels.ts';

export const kernelConfigs: KernelConfig[] = [
  linearActCudaConfig,
  layerNormCudaConfig,
  addReluCudaConfig,
  sdpaCudaConfig,
  qktSoftmaxCudaConfig,
  ...ternaryCudaConfigs,
];
