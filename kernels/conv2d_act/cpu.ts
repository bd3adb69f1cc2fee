/**
 * FusebenchConv2DAct on tfjs-backend-cpu: act(conv2d(x, filter) + bias), NHWC, the output written once.
 *
 * Why a kernel of our own: tfjs-backend-cpu's FusedConv2D is not fused. It calls conv2D, then add, then
 * applyActivation, each a full pass with its own output (tfjs-backend-cpu 4.22.0 src/kernels/FusedConv2D.ts
 * lines 43–92). Here the convolution is tfjs-cpu's own Conv2D kernel run on blocks of output rows
 * (common/cpu_conv_act.ts), and bias + activation are applied to each block while it is in cache.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { CONV2D_ACT } from '../names.ts';
import { convActCpuKernel } from '../common/cpu_conv_act.ts';

export const conv2dActCpu = convActCpuKernel(CONV2D_ACT, 'Conv2D');

export const conv2dActCpuConfig: KernelConfig = { kernelName: CONV2D_ACT, backendName: 'cpu', kernelFunc: conv2dActCpu };
