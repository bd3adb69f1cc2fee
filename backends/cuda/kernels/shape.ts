/** Reshape, Identity, Transpose, Cast, Fill and Slice on cuda. */
import { util, type KernelConfig, type KernelFunc, type TensorInfo, type DataType } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { castOp } from '../codegen/elementwise.ts';
import { runElementwise, runTranspose } from '../ops/elementwise.ts';
import { slicePlan } from '../ops/slice.ts';

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
  const from = deviceDtype(x.dtype, 'Cast');
  deviceDtype(dtype, 'Cast');
  const op = castOp(x.dtype === 'bool' ? 'int32' : from, dtype === 'bool' ? 'bool' : (dtype as 'float32' | 'int32'));
  return runElementwise(b, { name: `Cast_${x.dtype}_${dtype}`, op, inputs: [x], outDtype: dtype });
};

const fill: KernelFunc = ({ backend, attrs }) => {
  const b = backend as CudaBackend;
  const shape = attrs!.shape as number[];
  const value = attrs!.value as number | string;
  const dtype = (attrs!.dtype as DataType | undefined) ?? (typeof value === 'number' ? 'float32' : 'string');
  deviceDtype(dtype, 'Fill');
  const out = b.makeOutput(shape, dtype);
  const n = util.sizeFromShape(shape);
  if (n === 0) return out;
  const bits = new DataView(new ArrayBuffer(4));
  if (dtype === 'float32') bits.setFloat32(0, Number(value), true);
  else bits.setInt32(0, dtype === 'bool' ? (value ? 1 : 0) : Number(value) | 0, true);
  b.rt.driver.memsetD32(b.ptr(out), bits.getUint32(0, true), n);
  return out;
};

/** Slice (ops/slice.ts plans it): one device copy when contiguous, else one strided pass. */
const slice: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const plan = slicePlan(x, attrs!.begin as number | number[], attrs!.size as number | number[] | undefined);
  const n = util.sizeFromShape([...plan.size]);
  if (n === 0) return b.makeOutput(plan.size, x.dtype);
  if (!plan.contiguous) {
    return runElementwise(b, { name: 'Slice', op: { expr: 'a', arity: 1 }, inputs: [x], outDtype: x.dtype, layout: { outShape: plan.size, strides: [plan.strides], offsets: [plan.offset] } });
  }
  const out = b.makeOutput(plan.size, x.dtype);
  b.rt.driver.dtod(b.ptr(out), b.ptr(x) + plan.offset * 4, n * 4);
  return out;
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const shapeConfigs: KernelConfig[] = [k('Reshape', reshape), k('Identity', identity), k('Transpose', transpose), k('Cast', cast), k('Fill', fill), k('Slice', slice)];
