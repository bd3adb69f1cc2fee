/** Reshape, Identity, Transpose, Cast, Fill and Slice on cuda. */
import { util, type KernelConfig, type KernelFunc, type TensorInfo, type DataType } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { castOp } from '../codegen/elementwise.ts';
import { runElementwise, runTranspose } from '../ops/elementwise.ts';
import { runSlice } from '../ops/slice.ts';
import { runFill } from '../ops/fill.ts';
import { complexCast } from './complex.ts';

const reshape: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const xSize = util.sizeFromShape(x.shape);
  const shape = util.inferFromImplicitShape([...(attrs!.shape as number[])], xSize);
  // tfjs-backend-cpu's message.
  util.assert(util.sizeFromShape(shape) === xSize, () => `The new shape (${shape}) has ${util.sizeFromShape(shape)} elements and the old shape ` +
    `(${x.shape}) has ${xSize} elements. The new shape and old shape must have the same number of elements.`);
  return (backend as CudaBackend).view(x, shape);
};

const identity: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  return (backend as CudaBackend).view(x, x.shape);
};

const transpose: KernelFunc = ({ inputs, backend, attrs }) => runTranspose(backend as CudaBackend, inputs.x as TensorInfo, attrs!.perm as number[]);

const cast: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const dtype = attrs!.dtype as DataType;
  const b = backend as CudaBackend;
  if (dtype === x.dtype) return b.view(x, x.shape);
  if (dtype === 'complex64' || x.dtype === 'complex64') {
    return complexCast(b, x, dtype, (real) => (dtype === 'float32' ? b.view(real, real.shape) : castTo(b, real, dtype)));
  }
  return castTo(b, x, dtype);
};

function castTo(b: CudaBackend, x: TensorInfo, dtype: DataType): TensorInfo {
  const from = deviceDtype(x.dtype, 'Cast');
  deviceDtype(dtype, 'Cast');
  const op = castOp(x.dtype === 'bool' ? 'int32' : from, dtype === 'bool' ? 'bool' : (dtype as 'float32' | 'int32'));
  return runElementwise(b, { name: `Cast_${x.dtype}_${dtype}`, op, inputs: [x], outDtype: dtype });
}

const fill: KernelFunc = ({ backend, attrs }) => {
  const value = attrs!.value as number | string;
  const dtype = (attrs!.dtype as DataType | undefined) ?? (typeof value === 'number' ? 'float32' : 'string');
  return runFill(backend as CudaBackend, attrs!.shape as number[], Number(value), dtype);
};

/** Slice (ops/slice.ts plans it): one device copy when contiguous, else one strided pass. */
const slice: KernelFunc = ({ inputs, backend, attrs }) =>
  runSlice(backend as CudaBackend, inputs.x as TensorInfo, attrs!.begin as number | number[], attrs!.size as number | number[] | undefined);

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const shapeConfigs: KernelConfig[] = [k('Reshape', reshape), k('Identity', identity), k('Transpose', transpose), k('Cast', cast), k('Fill', fill), k('Slice', slice)];
