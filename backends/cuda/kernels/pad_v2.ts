/** PadV2 and MirrorPad on cuda: one copy-by-coordinates pass (constant value, or reflect/symmetric reads). */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { INDEX_MODE } from '../codegen/indexmap.ts';
import { runIndexMap, stridesOf } from '../ops/indexmap.ts';

type Mode = (typeof INDEX_MODE)['constant' | 'reflect' | 'symmetric'];

export function pad(b: CudaBackend, name: string, x: TensorInfo, paddings: ReadonlyArray<readonly [number, number]>, mode: Mode, value = 0): TensorInfo {
  const st = stridesOf(x.shape);
  const dims = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
  return runIndexMap(b, {
    name, x, dims, pad: value,
    axes: x.shape.map((d, i) => ({ begin: -paddings[i]![0], step: 1, mode, inDim: d, inStride: st[i]! })),
  });
}

export const padV2Config: KernelConfig = {
  kernelName: 'PadV2',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) =>
    pad(backend as CudaBackend, 'PadV2', inputs.x as TensorInfo, attrs!.paddings as Array<[number, number]>, INDEX_MODE.constant, Number(attrs!.constantValue ?? 0)),
};

export const mirrorPadConfig: KernelConfig = {
  kernelName: 'MirrorPad',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) =>
    pad(backend as CudaBackend, 'MirrorPad', inputs.x as TensorInfo, attrs!.paddings as Array<[number, number]>, attrs!.mode === 'reflect' ? INDEX_MODE.reflect : INDEX_MODE.symmetric),
};
