/**
 * DepthToSpace on cuda, NHWC and NCHW: the input viewed with the block split out of the channels, one transpose
 * (tfjs-backend-cpu's index formula: in channel = (h mod bs · bs + w mod bs) · outDepth + d).
 */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runTranspose } from '../ops/elementwise.ts';

export const depthToSpaceConfig: KernelConfig = {
  kernelName: 'DepthToSpace',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const bs = attrs!.blockSize as number;
    const nchw = attrs!.dataFormat === 'NCHW';
    util.assert(bs > 1, () => `blockSize should be > 1 for depthToSpace, but was: ${bs}`);
    const [n, d1, d2, d3] = x.shape as [number, number, number, number];
    const [h, w, c] = nchw ? [d2, d3, d1] : [d1, d2, d3];
    const od = c / (bs * bs);
    const split = b.view(x, nchw ? [n, bs, bs, od, h, w] : [n, h, w, bs, bs, od]);
    const moved = runTranspose(b, split, nchw ? [0, 3, 4, 1, 5, 2] : [0, 1, 3, 2, 4, 5]);
    b.disposeIntermediate(split);
    const out = b.view(moved, nchw ? [n, od, h * bs, w * bs] : [n, h * bs, w * bs, od]);
    b.disposeIntermediate(moved);
    return out;
  },
};
