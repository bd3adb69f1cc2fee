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
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { DEPTHWISE_CONV2D_ACT } from '../names.ts';
import { activate } from '../common/activation.ts';
import { convInfoFor } from '../common/conv_attrs.ts';
import { convByRowBlocks } from '../common/cpu_conv_blocks.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { requireInput } from '../common/shape_checks.ts';

const K = DEPTHWISE_CONV2D_ACT;

export function depthwiseConv2dActCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = requireInput(inputs, 'x', K);
  const filter = requireInput(inputs, 'filter', K);
  const bias = requireInput(inputs, 'bias', K);
  const { info, act } = convInfoFor(x, filter, bias, attrs, true, K);
  const bv = cpuValues(backend, bias, K, 'bias');
  const c = info.outChannels;
  const out = new Float32Array(info.batchSize * info.outHeight * info.outWidth * c);
  convByRowBlocks(backend, 'DepthwiseConv2dNative', cpuValues(backend, x, K, 'x'), filter, info, (block, offset, size) => {
    for (let p = 0; p < size; p += c) {
      for (let ch = 0; ch < c; ch++) out[offset + p + ch] = activate(Math.fround(block[p + ch] + bv[ch]), act);
    }
  });
  return cpuOutput(backend, [info.batchSize, info.outHeight, info.outWidth, c], out);
}

export const depthwiseConv2dActCpuConfig: KernelConfig = { kernelName: K, backendName: 'cpu', kernelFunc: depthwiseConv2dActCpu as unknown as KernelFunc };
