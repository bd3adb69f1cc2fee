/**
 * Registers fusebench's own kernels for one backend, after the backend itself is registered (the one path:
 * harness/activate.ts). Each backend has one static list, `register_<backend>.ts`, that imports every config
 * it has (tfjs's register_all_kernels.ts); a backend with no list has none of our kernels, and a suite that
 * needs one then fails on it, visibly. A list is imported when its backend is activated, by a literal path
 * (so a bundler, conformance/bundle.ts, sees every list): a machine without a GPU never loads the GPU kernels.
 */
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';

type KernelList = () => Promise<{ readonly kernelConfigs: readonly KernelConfig[] }>;

const LISTS: Readonly<Record<string, KernelList>> = {
  cpu: () => import('./register_cpu.ts'),
  wasm: () => import('./register_wasm.ts'),
  tensorflow: () => import('./register_tensorflow.ts'),
  webgpu: () => import('./register_webgpu.ts'),
  cuda: () => import('./register_cuda.ts'),
};

const done = new Set<string>();

/** Registers the backend's list (once per kernel); returns the names of the kernels in it. */
export async function registerFusebenchKernels(backendName: string): Promise<string[]> {
  const load = LISTS[backendName];
  if (!load) return [];
  const names: string[] = [];
  for (const config of (await load()).kernelConfigs) {
    const key = `${config.backendName}/${config.kernelName}`;
    if (!done.has(key) && !getKernel(config.kernelName, config.backendName)) registerKernel(config);
    done.add(key);
    names.push(config.kernelName);
  }
  return names;
}
