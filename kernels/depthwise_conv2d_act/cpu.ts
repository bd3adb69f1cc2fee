/**
 * FusebenchDepthwiseConv2DAct on tfjs-backend-cpu: act(depthwiseConv2d(x, filter) + bias), NHWC, the output
 * written once.
 *
 * Why a kernel of our own: tfjs-backend-cpu's FusedDepthwiseConv2D is not fused. It calls
 * depthwiseConv2dNative, then add, then applyActivation (tfjs-backend-cpu 4.22.0
 * src/kernels/FusedDepthwiseConv2D.ts lines 42–58). Here the convolution is tfjs-cpu's own
 * DepthwiseConv2dNative kernel run on blocks of output rows (common/cpu_conv_blocks.ts), and bias + activation
 * are applied to each block while it is in cache.
 */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { DEPTHWISE_CONV2D_ACT } from '../names.ts';
import { convActCpuKernel } from '../common/cpu_conv_act.ts';

export const depthwiseConv2dActCpu = convActCpuKernel(DEPTHWISE_CONV2D_ACT, 'DepthwiseConv2dNative');

export const depthwiseConv2dActCpuConfig: KernelConfig = { kernelName: DEPTHWISE_CONV2D_ACT, backendName: 'cpu', kernelFunc: depthwiseConv2dActCpu };
