/** Ternary kernels for tfjs-backend-wasm (generated WebAssembly SIMD), registered by kernels/registry.ts. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { wasmKernelConfigs } from './wasm/kernels.ts';

export const kernelConfigs: KernelConfig[] = wasmKernelConfigs();
