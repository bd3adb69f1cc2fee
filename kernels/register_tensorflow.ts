/**
 * fusebench's fused kernels for the tensorflow backend (tfjs-node; registered by kernels/registry.ts). Each runs
 * one TensorFlow fused op where TensorFlow has one and this build and binding can run it, else real TF ops
 * composed under it; kernels/common/tf_fused.ts holds the table and says which, per kernel variant.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { linearActTensorflowConfig } from './linear_act/tensorflow.ts';
import { layerNormTensorflowConfig } from './layer_norm/tensorflow.ts';
import { addReluTensorflowConfig } from './add_relu/tensorflow.ts';
import { sdpaTensorflowConfig } from './sdpa/tensorflow.ts';
import { qktSoftmaxTensorflowConfig } from './qkt_softmax/tensorflow.ts';
import { conv2dActTensorflowConfig } from './conv2d_act/tensorflow.ts';
import { depthwiseConv2dActTensorflowConfig } from './depthwise_conv2d_act/tensorflow.ts';
import { tensorflowKernelConfigs } from './ternary/tensorflow/kernels.ts';

export const kernelConfigs: KernelConfig[] = [
  linearActTensorflowConfig,
  layerNormTensorflowConfig,
  addReluTensorflowConfig,
  sdpaTensorflowConfig,
  qktSoftmaxTensorflowConfig,
  conv2dActTensorflowConfig,
  depthwiseConv2dActTensorflowConfig,
  ...tensorflowKernelConfigs(),
];
