/** Ternary kernels for tfjs-backend-cpu (generated JavaScript loops), registered by kernels/registry.ts. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { cpuKernelConfigs } from './cpu/kernels.ts';

export const kernelConfigs: KernelConfig[] = cpuKernelConfigs();
