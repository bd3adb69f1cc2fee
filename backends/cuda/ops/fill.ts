/** A tensor of one value (Fill, ZerosLike, OnesLike, the pad of some kernels): one cuMemsetD32 on the stream. */
import { util, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { valueBits } from './indexmap.ts';

export function runFill(b: CudaBackend, shape: readonly number[], value: number, dtype: DataType): TensorInfo {
  deviceDtype(dtype, 'Fill');
  const out = b.makeOutput(shape, dtype);
  fillWith(b, out, value);
  return out;
}

/** Sets every element of `t` to `value` (in t's dtype). */
export function fillWith(b: CudaBackend, t: TensorInfo, value: number): void {
  const n = util.sizeFromShape(t.shape);
  if (n > 0) b.rt.driver.memsetD32(b.ptr(t), valueBits(value, t.dtype), n);
}
