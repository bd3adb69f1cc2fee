/** Every fusebench kernel for tfjs-backend-webgpu, registered by kernels/registry.ts after the backend. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { addReluConfig } from './add_relu/webgpu.ts';
import { layerNormConfig } from './layer_norm/webgpu.ts';
import { linearActConfig } from './linear_act/webgpu.ts';
import { qktSoftmaxConfig } from './qkt_softmax/webgpu.ts';
import { sdpaConfig } from './sdpa/webgpu.ts';
import { ternaryWebgpuConfigs } from './ternary/webgpu/kernels.ts';

export const kernelConfigs: KernelConfig[] = [
  linearActConfig,
  layerNormConfig,
  addReluConfig,
  sdpaConfig,
  qktSoftmaxConfig,
  ...ternaryWebgpuConfigs,
];
