/** Unpack and SplitV on cuda: slices of the input (tfjs-backend-cpu's formulation), each one copy. */
import { backend_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runSlice } from '../ops/slice.ts';

export const unpackConfig: KernelConfig = {
  kernelName: 'Unpack',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const value = inputs.value as TensorInfo;
    let axis = attrs!.axis as number;
    if (axis < 0) axis += value.shape.length;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(value.shape.length).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const res: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]!; i++) {
      begin[axis] = i;
      const part = runSlice(b, value, begin, size);
      res.push(b.view(part, outShape));
      b.disposeIntermediate(part);
    }
    return res;
  },
};

export const splitVConfig: KernelConfig = {
  kernelName: 'SplitV',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const axis = util.parseAxisParam(attrs!.axis as number, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x as never, attrs!.numOrSizeSplits as number | number[], axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const part = runSlice(b, x, begin, size);
      begin[axis] += s;
      return part;
    });
  },
};
