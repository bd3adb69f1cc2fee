/**
 * fusebench's WGSL kernels for tfjs-backend-webgpu, registered by kernels/registry.ts after the backend.
 * The ternary family lives in kernels/ternary/webgpu/ and is listed here too, so one file names every
 * kernel the webgpu backend gets.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { addReluConfig } from './webgpu/add_relu.ts';
import { layerNormConfig } from './webgpu/layer_norm.ts';
import { linearActConfig } from './webgpu/linear_act.ts';
import { qktSoftmaxConfig } from './webgpu/qkt_softmax.ts';
import { sdpaConfig } from './webgpu/sdpa.ts';
import { webgpuTernaryKernelConfigs } from './ternary/webgpu/kernels.ts';

export const kernelConfigs: KernelConfig[] = [
  linearActConfig,
  layerNormConfig,
  addReluConfig,
  sdpaConfig,
  qktSoftmaxConfig,
  ...webgpuTernaryKernelConfigs(),
];
