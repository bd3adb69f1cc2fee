/**
 * Range and LinSpace on cuda: the values computed on the host by tfjs-backend-cpu's own implementations (they only
 * depend on attributes), then uploaded, as tfjs-backend-webgpu does: no device read-back.
 */
import type { DataType, KernelConfig } from '@tensorflow/tfjs-core';
import { shared } from '@tensorflow/tfjs-backend-cpu/dist/base';
import type { CudaBackend } from '../backend.ts';

export const rangeConfig: KernelConfig = {
  kernelName: 'Range',
  backendName: 'cuda',
  kernelFunc: ({ backend, attrs }) => {
    const { start, stop, step, dtype } = attrs as unknown as { start: number; stop: number; step: number; dtype: 'float32' | 'int32' };
    const values = shared.rangeImpl(start, stop, step, dtype);
    return (backend as CudaBackend).makeTensorInfo([values.length], dtype as DataType, values);
  },
};

export const linSpaceConfig: KernelConfig = {
  kernelName: 'LinSpace',
  backendName: 'cuda',
  kernelFunc: ({ backend, attrs }) => {
    const { start, stop, num } = attrs as unknown as { start: number; stop: number; num: number };
    const values = shared.linSpaceImpl(start, stop, num);
    return (backend as CudaBackend).makeTensorInfo([values.length], 'float32', values);
  },
};
