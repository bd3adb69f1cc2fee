/** fusebench's CUDA kernels, registered by kernels/registry.ts after the cuda backend (backends/cuda/). */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { linearActCudaConfig } from './cuda/linear_act.ts';
import { layerNormCudaConfig } from './cuda/layer_norm.ts';
import { addReluCudaConfig } from './cuda/add_relu.ts';
import { sdpaCudaConfig } from './cuda/sdpa.ts';
import { qktSoftmaxCudaConfig } from './cuda/qkt_softmax.ts';

export const kernelConfigs: KernelConfig[] = [linearActCudaConfig, layerNormCudaConfig, addReluCudaConfig, sdpaCudaConfig, qktSoftmaxCudaConfig];
