/**
 * FusebenchConv2DAct on tfjs-backend-cpu: act(conv2d(x, filter) + bias), NHWC, the output written once.
 *
 * Why a kernel of our own: tfjs-backend-cpu's FusedConv2D is not fused. It calls conv2D, then add, then
 * applyActivation, each a full pass with its own output (tfjs-backend-cpu 4.22.0 src/kernels/FusedConv2D.ts
 * lines 43–92). Here the convolution is tfjs-cpu's own Conv2D kernel run on blocks of output rows
 * (common/cpu_conv_blocks.ts), and bias + activation are applied to each block while it is in cache.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { CONV2D_ACT } from '../names.ts';
import { activate } from '../common/activation.ts';
import { convInfoFor } from '../common/conv_attrs.ts';
import { convByRowBlocks } from '../common/cpu_conv_blocks.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { requireInput } from '../common/shape_checks.ts';

export function conv2dActCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = requireInput(inputs, 'x', CONV2D_ACT);
  const filter = requireInput(inputs, 'filter', CONV2D_ACT);
  const bias = requireInput(inputs, 'bias', CONV2D_ACT);
  const { info, act } = convInfoFor(x, filter, bias, attrs, false, CONV2D_ACT);
  const bv = cpuValues(backend, bias, CONV2D_ACT, 'bias');
  const c = info.outChannels;
  const out = new Float32Array(info.batchSize * info.outHeight * info.outWidth * c);
  convByRowBlocks(backend, 'Conv2D', cpuValues(backend, x, CONV2D_ACT, 'x'), filter, info, (block, offset, size) => {
    for (let p = 0; p < size; p += c) {
      for (let ch = 0; ch < c; ch++) out[offset + p + ch] = activate(Math.fround(block[p + ch] + bv[ch]), act);
    }
  });
  return cpuOutput(backend, [info.batchSize, info.outHeight, info.outWidth, c], out);
}

export const conv2dActCpuConfig: KernelConfig = { kernelName: CONV2D_ACT, backendName: 'cpu', kernelFunc: conv2dActCpu as unknown as KernelFunc };
