/**
 * Every fusebench kernel for tfjs-backend-cpu (registered by kernels/registry.ts). The two conv kernels exist
 * only here: tfjs-cpu's FusedConv2D / FusedDepthwiseConv2D run their parts as separate passes (see kernels/ops.ts).
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { linearActCpuConfig } from './linear_act/cpu.ts';
import { layerNormCpuConfig } from './layer_norm/cpu.ts';
import { addReluCpuConfig } from './add_relu/cpu.ts';
import { sdpaCpuConfig } from './sdpa/cpu.ts';
import { qktSoftmaxCpuConfig } from './qkt_softmax/cpu.ts';
import { conv2dActCpuConfig } from './conv2d_act/cpu.ts';
import { depthwiseConv2dActCpuConfig } from './depthwise_conv2d_act/cpu.ts';
import { ternaryCpuConfigs } from './ternary/cpu/kernels.ts';

export const kernelConfigs: KernelConfig[] = [
  linearActCpuConfig,
  layerNormCpuConfig,
  addReluCpuConfig,
  sdpaCpuConfig,
  qktSoftmaxCpuConfig,
  conv2dActCpuConfig,
  depthwiseConv2dActCpuConfig,
  ...ternaryCpuConfigs,
];
