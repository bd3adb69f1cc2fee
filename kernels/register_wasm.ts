/**
 * Every fusebench kernel for tfjs-backend-wasm (registered by kernels/registry.ts). No conv kernels: the wasm
 * backend's FusedConv2D / FusedDepthwiseConv2D are XNNPACK convolutions with bias and ReLU in their epilogue,
 * already one pass (see kernels/ops.ts).
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { linearActWasmConfig } from './linear_act/wasm.ts';
import { layerNormWasmConfig } from './layer_norm/wasm.ts';
import { addReluWasmConfig } from './add_relu/wasm.ts';
import { sdpaWasmConfig } from './sdpa/wasm.ts';
import { qktSoftmaxWasmConfig } from './qkt_softmax/wasm.ts';
import { ternaryWasmConfigs } from './ternary/wasm/kernels.ts';

export const kernelConfigs: KernelConfig[] = [
  linearActWasmConfig,
  layerNormWasmConfig,
  addReluWasmConfig,
  sdpaWasmConfig,
  qktSoftmaxWasmConfig,
  ...ternaryWasmConfigs,
];
