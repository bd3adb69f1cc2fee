/**
 * Registers fusebench's own kernels for one backend, after the backend itself is registered.
 * Each family keeps a `register_<backend>.ts` exporting `kernelConfigs: KernelConfig[]`; a backend with
 * no list simply has none of our kernels (a suite that needs one then fails on it, visibly).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';

/** Families of kernels, each a folder (or the root) holding register_<backend>.ts files. */
const FAMILIES = ['.', './ternary'] as const;

const done = new Set<string>();

export async function registerFusebenchKernels(backendName: string): Promise<string[]> {
  const names: string[] = [];
  for (const family of FAMILIES) {
    const rel = `${family}/register_${backendName}.ts`;
    const url = new URL(rel, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    const mod = (await import(url.href)) as { kernelConfigs?: readonly KernelConfig[] };
    for (const config of mod.kernelConfigs ?? []) {
      const key = `${config.backendName}/${config.kernelName}`;
      if (!done.has(key) && !getKernel(config.kernelName, config.backendName)) registerKernel(config);
      done.add(key);
      names.push(config.kernelName);
    }
  }
  return names;
}
