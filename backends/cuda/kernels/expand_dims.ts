/** ExpandDims on cuda: a view with a 1 inserted (tfjs-backend-cpu's rule and message for a negative axis). */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';

export function expandDims(b: CudaBackend, input: TensorInfo, dim: number): TensorInfo {
  const rank = input.shape.length;
  let d = dim;
  if (dim < 0) {
    util.assert(-(rank + 1) <= dim, () => `Axis must be in the interval [${-(rank + 1)}, ${rank}]`);
    d = rank + dim + 1;
  }
  const shape = input.shape.slice();
  shape.splice(d, 0, 1);
  return b.view(input, shape);
}

export const expandDimsConfig: KernelConfig = {
  kernelName: 'ExpandDims',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => expandDims(backend as CudaBackend, inputs.input as TensorInfo, attrs!.dim as number),
};
