/** Reverse on cuda: one copy-by-coordinates pass reading the reversed axes backwards. */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { stridedRead } from '../ops/indexmap.ts';

export function reverse(b: CudaBackend, x: TensorInfo, dims: number | number[]): TensorInfo {
  if (x.shape.length === 0) return b.view(x, x.shape);
  const axes = new Set(util.parseAxisParam(dims, x.shape));
  const begin = x.shape.map((d, i) => (axes.has(i) ? d - 1 : 0));
  const step = x.shape.map((_, i) => (axes.has(i) ? -1 : 1));
  return stridedRead(b, 'Reverse', x, x.shape, begin, step);
}

export const reverseConfig: KernelConfig = {
  kernelName: 'Reverse',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => reverse(backend as CudaBackend, inputs.x as TensorInfo, attrs!.dims as number | number[]),
};
