/** FusebenchConv2DAct on the tensorflow backend: one `_FusedConv2D` where available (common/tf_conv_act.ts). */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { CONV2D_ACT } from '../names.ts';
import { convActTensorflowKernel } from '../common/tf_conv_act.ts';

export const conv2dActTensorflowConfig: KernelConfig = { kernelName: CONV2D_ACT, backendName: 'tensorflow', kernelFunc: convActTensorflowKernel(CONV2D_ACT, false) };
