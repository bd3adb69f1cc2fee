/** Reshape, Identity, Transpose, Cast and Fill on cuda. */
import { util, type KernelConfig, type KernelFunc, type TensorInfo, type DataType } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { castOp } from '../codegen/elementwise.ts';
import { runElementwise, runTranspose } from '../ops/elementwise.ts';

const reshape: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const shape = util.inferFromImplicitShape([...(attrs!.shape as number[])], util.sizeFromShape(x.shape));
  util.assert(util.sizeFromShape(shape) === util.sizeFromShape(x.shape), () => `cuda Reshape: cannot reshape [${x.shape}] to [${shape}]`);
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
  if (dtype === x.dtype || (dtype === 'int32' && x.dtype === 'bool')) {
    if (dtype === x.dtype) return b.view(x, x.shape);
  }
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

/**
 * Slice, for the slices that are one contiguous run of memory (every dimension after the first partial one is
 * taken whole, e.g. rows of a matrix or a range of a flat tensor): one device-to-device copy. Strided slices
 * are not implemented and say so.
 */
const slice: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const rank = x.shape.length;
  const begin = [...(attrs!.begin as number[])];
  const size = (attrs!.size as number[]).map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  const out = b.makeOutput(size, x.dtype);
  const n = util.sizeFromShape(size);
  if (n === 0) return out;
  const firstPartial = size.findIndex((s, i) => s !== x.shape[i]);
  // One run of memory: size 1 before the first partial dimension, whole dimensions after it.
  const contiguous = firstPartial === -1 || (size.slice(0, firstPartial).every((s) => s === 1) && size.every((s, i) => i <= firstPartial || s === x.shape[i]));
  if (!contiguous) {
    b.disposeData(out.dataId);
    throw new Error(`not implemented on cuda: Slice (strided slice of [${x.shape}] at [${begin}] size [${size}])`);
  }
  const strides = util.computeStrides(x.shape);
  let offset = 0;
  for (let i = 0; i < rank - 1; i++) offset += begin[i] * strides[i];
  offset += rank > 0 ? begin[rank - 1] : 0;
  const bytesPer = 4;
  b.rt.driver.dtod(b.ptr(out), b.ptr(x) + offset * bytesPer, n * bytesPer);
  return out;
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const shapeConfigs: KernelConfig[] = [k('Reshape', reshape), k('Identity', identity), k('Transpose', transpose), k('Cast', cast), k('Fill', fill), k('Slice', slice)];
