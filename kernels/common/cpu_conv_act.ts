/**
 * The body shared by FusebenchConv2DAct and FusebenchDepthwiseConv2DAct on tfjs-backend-cpu: tfjs-cpu's own
 * convolution run on blocks of output rows (cpu_conv_blocks.ts), with bias + activation applied to each block
 * while it is in cache, so the output is written once.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { activate } from './activation.ts';
import { convInfoFor } from './conv_attrs.ts';
import { convByRowBlocks } from './cpu_conv_blocks.ts';
import { cpuOutput, cpuValues } from './cpu_data.ts';
import { requireInput } from './shape_checks.ts';

export function convActCpuKernel(kernel: string, conv: 'Conv2D' | 'DepthwiseConv2dNative'): KernelFunc {
  const run = (args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const x = requireInput(inputs, 'x', kernel);
    const filter = requireInput(inputs, 'filter', kernel);
    const bias = requireInput(inputs, 'bias', kernel);
    const { info, act } = convInfoFor(x, filter, bias, attrs, conv === 'DepthwiseConv2dNative', kernel);
    const bv = cpuValues(backend, bias, kernel, 'bias');
    const apply = activate; // a local binding: an imported name is a getter call under vitest's module runner
    const c = info.outChannels;
    const out = new Float32Array(info.batchSize * info.outHeight * info.outWidth * c);
    convByRowBlocks(backend, conv, cpuValues(backend, x, kernel, 'x'), filter, info, (block, offset, size) => {
      for (let p = 0; p < size; p += c) {
        for (let ch = 0; ch < c; ch++) out[offset + p + ch] = apply(Math.fround(block[p + ch] + bv[ch]), act);
      }
    });
    return cpuOutput(backend, [info.batchSize, info.outHeight, info.outWidth, c], out);
  };
  return run as unknown as KernelFunc;
}
