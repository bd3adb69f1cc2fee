/**
 * FusebenchDepthwiseConv2DAct on the tensorflow backend: one fused depthwise op where available
 * (common/tf_conv_act.ts; on tensorflow-cpu 2.21 that is oneDNN's, as the generic one returns an empty tensor).
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { DEPTHWISE_CONV2D_ACT } from '../names.ts';
import { convActTensorflowKernel } from '../common/tf_conv_act.ts';

export const depthwiseConv2dActTensorflowConfig: KernelConfig = {
  kernelName: DEPTHWISE_CONV2D_ACT, backendName: 'tensorflow', kernelFunc: convActTensorflowKernel(DEPTHWISE_CONV2D_ACT, true),
};
