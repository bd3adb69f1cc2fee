/** ZerosLike and OnesLike on cuda: one memset in the input's dtype (tfjs-backend-cpu's message for strings). */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { runFill } from '../ops/fill.ts';
import { complexFill } from './complex.ts';

const like = (name: string, value: number): KernelFunc => ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') throw new Error(`${name === 'ZerosLike' ? 'zerosLike' : 'onesLike'} is not supported for string tensors`);
  if (x.dtype === 'complex64') return complexFill(backend as CudaBackend, x, value);
  return runFill(backend as CudaBackend, x.shape, value, x.dtype);
};

export const zerosLikeConfig: KernelConfig = { kernelName: 'ZerosLike', backendName: 'cuda', kernelFunc: like('ZerosLike', 0) };
export const onesLikeConfig: KernelConfig = { kernelName: 'OnesLike', backendName: 'cuda', kernelFunc: like('OnesLike', 1) };
