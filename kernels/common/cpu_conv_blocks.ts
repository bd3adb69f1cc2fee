/**
 * A convolution computed block of output rows by block with tfjs-cpu's own Conv2D or DepthwiseConv2dNative
 * kernel (common/cpu_blocks.ts), each block handed to an epilogue while in cache. Each block's input is a view
 * of the input rows it needs, with the padding the full convolution would have at those rows passed
 * explicitly, so every output element is computed by the same loop, in the same order, as in the unfused conv.
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { CPU_BLOCK_FLOATS, cpuView, release, runCpu } from './cpu_blocks.ts';

/** Called with the block's values ([rows, outWidth, outChannels]) and where they go in the output. */
export type ConvEpilogue = (block: Float32Array, outOffset: number, size: number) => void;

export function convByRowBlocks(
  backend: MathBackendCPU, kernel: 'Conv2D' | 'DepthwiseConv2dNative', x: Float32Array, filter: TensorInfo,
  info: backend_util.Conv2DInfo, epilogue: ConvEpilogue,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, strideHeight, strideWidth } = info;
  const { top: padTop, left: padLeft, right: padRight } = info.padInfo;
  const rowFloats = outWidth * outChannels;
  const rowsPerBlock = Math.max(1, Math.floor(CPU_BLOCK_FLOATS / rowFloats));
  const inRow = inWidth * inChannels;
  for (let b = 0; b < batchSize; b++) {
    for (let r0 = 0; r0 < outHeight; r0 += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, outHeight - r0);
      // Input rows this block reads, and the padding the full conv has beyond them.
      const first = r0 * strideHeight - padTop;
      const last = (r0 + rows - 1) * strideHeight - padTop + filterHeight - 1;
      const lo = Math.max(0, first);
      const hi = Math.min(inHeight - 1, last);
      const xBlock = cpuView(backend, x, (b * inHeight + lo) * inRow, [1, hi - lo + 1, inWidth, inChannels]);
      const pad = [[0, 0], [lo - first, last - hi], [padLeft, padRight], [0, 0]];
      const y = runCpu(backend, kernel, { x: xBlock, filter }, { strides: [strideHeight, strideWidth], pad, dilations: [1, 1], dataFormat: 'NHWC' } as never);
      if (y.info.shape[1] !== rows) {
        release(backend, xBlock, y.info);
        throw new Error(`${kernel} block: expected ${rows} output rows, got ${y.info.shape[1]} (explicit padding mismatch)`);
      }
      epilogue(y.values, (b * outHeight + r0) * rowFloats, rows * rowFloats);
      release(backend, xBlock, y.info);
    }
  }
}
