/**
 * Running tfjs-backend-cpu's own kernels on blocks of a tensor. The fused cpu kernels compute their GEMMs and
 * convolutions with exactly the code the unfused ops run (getKernel('BatchMatMul' | 'Conv2D' | …, 'cpu')), one
 * block of output rows at a time, and apply their epilogue to each block while it is in cache. Any speedup is
 * then fusion's, not a different inner loop's: tfjs-cpu iterates blocks of rows outermost, so a block-by-block
 * call does the same arithmetic in the same order.
 *
 * Views cost no copy: the cpu backend stores the array it is given (MathBackendCPU.write), so a subarray
 * becomes a tensor over the same memory.
 */
import { getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** Output floats per block: 256 KiB, well inside L2. */
export const CPU_BLOCK_FLOATS = 64 * 1024;

export function cpuKernel(name: string): KernelFunc {
  const k = getKernel(name, 'cpu');
  if (!k) throw new Error(`tfjs-backend-cpu has no "${name}" kernel registered`);
  return k.kernelFunc;
}

/** A tensor over values[offset, offset + size(shape)) without copying. Dispose with `release`. */
export function cpuView(backend: MathBackendCPU, values: Float32Array, offset: number, shape: number[]): TensorInfo {
  const size = shape.reduce((a, b) => a * b, 1);
  return backend.makeTensorInfo(shape, 'float32', values.subarray(offset, offset + size));
}

export function release(backend: MathBackendCPU, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeIntermediateTensorInfo(t);
}

/** Runs a cpu kernel and returns its output with the output's values. */
export function runCpu(
  backend: MathBackendCPU, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap,
): { info: TensorInfo; values: Float32Array } {
  const info = cpuKernel(name)({ inputs, backend, attrs }) as TensorInfo;
  return { info, values: backend.data.get(info.dataId).values as Float32Array };
}
