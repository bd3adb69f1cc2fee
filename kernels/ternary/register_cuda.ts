/** Ternary kernels for the cuda backend, registered by kernels/registry.ts. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { cudaTernaryKernelConfigs } from './cuda/kernels.ts';

export const kernelConfigs: KernelConfig[] = cudaTernaryKernelConfigs();
