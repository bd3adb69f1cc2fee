/** Reading inputs and making outputs on tfjs-backend-cpu, with the checks every fusebench kernel needs. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** The float32 values behind a tensor on the cpu backend (no copy). */
export function cpuValues(backend: MathBackendCPU, t: TensorInfo, kernel: string, input: string): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`${kernel}: input "${input}" must be float32 (got ${t.dtype})`);
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) throw new Error(`${kernel}: input "${input}" has no float32 values on the cpu backend`);
  return values;
}

export function cpuOutput(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}
