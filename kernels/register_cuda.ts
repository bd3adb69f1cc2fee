/** fusebench's CUDA kernels, registered by kernels/registry.ts after the cuda backend (backends/cuda/). */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { linearActCudaConfig } from './linear_act/cuda.ts';
import { layerNormCudaConfig } from './layer_norm/cuda.ts';
import { addReluCudaConfig } from './add_relu/cuda.ts';
import { sdpaCudaConfig } from './sdpa/cuda.ts';
import { qktSoftmaxCudaConfig } from './qkt_softmax/cuda.ts';

export const kernelConfigs: KernelConfig[] = [linearActCudaConfig, layerNormCudaConfig, addReluCudaConfig, sdpaCudaConfig, qktSoftmaxCudaConfig];
