/** StridedSlice on cuda: tfjs's slice_util.sliceInfo, then a view, one Slice, or one strided copy-by-coordinates pass. */
import { slice_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { stridedRead } from '../ops/indexmap.ts';
import { runSlice } from '../ops/slice.ts';

export const stridedSliceConfig: KernelConfig = {
  kernelName: 'StridedSlice',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const a = attrs as unknown as { begin: number[]; end: number[]; strides: number[]; beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number };
    const info = slice_util.sliceInfo(x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
    if (info.isIdentity) return b.view(x, info.finalShape);
    if (info.sliceDim0 || info.isSimpleSlice) {
      util.assert(x.shape.length >= 1, () => `Input must have rank at least 1, got: ${x.shape.length}`);
      const size = slice_util.computeOutShape(info.begin, info.end, info.strides);
      const sliced = runSlice(b, x, info.begin, size);
      const out = b.view(sliced, info.finalShape);
      b.disposeIntermediate(sliced);
      return out;
    }
    const sparse = info.finalShapeSparse;
    const read = stridedRead(b, 'StridedSlice', x, sparse, info.begin, info.strides);
    const out = b.view(read, info.finalShape);
    b.disposeIntermediate(read);
    return out;
  },
};
