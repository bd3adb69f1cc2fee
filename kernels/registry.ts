/**
 * Registers fusebench's own kernels for one backend, after the backend itself is registered.
 * Each family keeps a `register_<backend>.ts` exporting `kernelConfigs: KernelConfig[]`; a backend with
 * no list simply has none of our kernels (a suite that needs one then fails on it, visibly).
 * The lists are imported lazily (a machine without a GPU never loads the GPU kernels) but by literal paths,
 * so a bundler (conformance/bundle.ts) sees every one of them.
 */
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';

type KernelList = () => Promise<{ readonly kernelConfigs: readonly KernelConfig[] }>;

/** Per backend, the register lists of each family (the root folder, then ./ternary). */
const LISTS: Readonly<Record<string, readonly KernelList[]>> = {
  cpu: [() => import('./register_cpu.ts'), () => import('./ternary/register_cpu.ts')],
  wasm: [() => import('./register_wasm.ts'), () => import('./ternary/register_wasm.ts')],
  tensorflow: [() => import('./register_tensorflow.ts'), () => import('./ternary/register_tensorflow.ts')],
  webgpu: [() => import('./register_webgpu.ts')],
  cuda: [() => import('./register_cuda.ts'), () => import('./ternary/register_cuda.ts')],
};

const done = new Set<string>();

export async function registerFusebenchKernels(backendName: string): Promise<string[]> {
  const names: string[] = [];
  for (const load of LISTS[backendName] ?? []) {
    for (const config of (await load()).kernelConfigs) {
      const key = `${config.backendName}/${config.kernelName}`;
      if (!done.has(key) && !getKernel(config.kernelName, config.backendName)) registerKernel(config);
      done.add(key);
      names.push(config.kernelName);
    }
  }
  return names;
}
