/** Tile on cuda: one copy-by-coordinates pass, each axis read modulo the input's extent. */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { INDEX_MODE } from '../codegen/indexmap.ts';
import { runIndexMap, stridesOf } from '../ops/indexmap.ts';

export function tile(b: CudaBackend, x: TensorInfo, reps: readonly number[]): TensorInfo {
  const st = stridesOf(x.shape);
  const dims = x.shape.map((d, i) => d * reps[i]!);
  return runIndexMap(b, { name: 'Tile', x, dims, axes: x.shape.map((d, i) => ({ begin: 0, step: 1, mode: INDEX_MODE.modulo, inDim: d, inStride: st[i]! })) });
}

export const tileConfig: KernelConfig = {
  kernelName: 'Tile',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => tile(backend as CudaBackend, inputs.x as TensorInfo, attrs!.reps as number[]),
};
