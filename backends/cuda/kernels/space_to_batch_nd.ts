/** SpaceToBatchND and BatchToSpaceND on cuda: tfjs-backend-cpu's pad/reshape/transpose/slice formulation on cuda kernels. */
import { backend_util, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { INDEX_MODE } from '../codegen/indexmap.ts';
import { runTranspose } from '../ops/elementwise.ts';
import { runSlice } from '../ops/slice.ts';
import { pad } from './pad_v2.ts';

export const spaceToBatchNDConfig: KernelConfig = {
  kernelName: 'SpaceToBatchND',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const blockShape = attrs!.blockShape as number[];
    const paddings = attrs!.paddings as Array<[number, number]>;
    const prod = util.sizeFromShape(blockShape);
    const complete: Array<[number, number]> = [[0, 0], ...paddings];
    for (let i = 1 + blockShape.length; i < x.shape.length; ++i) complete.push([0, 0]);
    const padded = pad(b, 'SpaceToBatchND', x, complete, INDEX_MODE.constant, 0);
    const reshaped = b.view(padded, backend_util.getReshaped(padded.shape, blockShape, prod, false));
    const permuted = runTranspose(b, reshaped, backend_util.getPermuted(reshaped.shape.length, blockShape.length, false));
    const out = b.view(permuted, backend_util.getReshapedPermuted(padded.shape, blockShape, prod, false));
    for (const t of [padded, reshaped, permuted]) b.disposeIntermediate(t);
    return out;
  },
};

export const batchToSpaceNDConfig: KernelConfig = {
  kernelName: 'BatchToSpaceND',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const x = inputs.x as TensorInfo;
    const blockShape = attrs!.blockShape as number[];
    const crops = attrs!.crops as number[][];
    const prod = blockShape.reduce((p, v) => p * v);
    const reshapedPermuted = backend_util.getReshapedPermuted(x.shape, blockShape, prod);
    const xr = b.view(x, backend_util.getReshaped(x.shape, blockShape, prod));
    const xt = runTranspose(b, xr, backend_util.getPermuted(xr.shape.length, blockShape.length));
    const xtr = b.view(xt, reshapedPermuted);
    const out = runSlice(b, xtr, backend_util.getSliceBeginCoords(crops, blockShape.length), backend_util.getSliceSize(reshapedPermuted, crops, blockShape.length));
    for (const t of [xr, xt, xtr]) b.disposeIntermediate(t);
    return out;
  },
};
