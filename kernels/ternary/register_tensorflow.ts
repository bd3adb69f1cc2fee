/** Ternary kernels for the tensorflow backend (TF ops composed from the op table), registered by kernels/registry.ts. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { tensorflowKernelConfigs } from './tensorflow/kernels.ts';

export const kernelConfigs: KernelConfig[] = tensorflowKernelConfigs();
