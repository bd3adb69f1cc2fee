/**
 * Registers the `cuda` backend and its kernels with tfjs: the native kernels (each handing calls with string tensors to
 * the fallback: strings stay on the host), then the few that run on tfjs-backend-cpu through the counted fallback
 * (fallback.ts). Any other kernel tfjs-backend-cpu has would be registered as a stub that throws "not implemented on
 * cuda: <KernelName>" (none is left): tfjs never falls back to another backend by itself, and the message says what is missing.
 */
import { getKernelsForBackend, registerBackend, registerKernel, getKernel, engine, type KernelConfig } from '@tensorflow/tfjs-core';
import { CudaBackend } from './backend.ts';
import { CudaRuntime } from './runtime/context.ts';
import { elementwiseConfigs } from './kernels/elementwise.ts';
import { shapeConfigs } from './kernels/shape.ts';
import { reduceConfigs } from './kernels/reduce.ts';
import { matmulConfigs } from './kernels/matmul.ts';
import { convConfigs } from './kernels/conv.ts';
import { coverageConfigs } from './kernels/coverage.ts';
import { fallbackConfigs, withStringFallback } from './fallback.ts';

export const cudaKernelConfigs: readonly KernelConfig[] = [...elementwiseConfigs, ...shapeConfigs, ...reduceConfigs, ...matmulConfigs, ...convConfigs, ...coverageConfigs];

let registered = false;

/** Registers backend + kernels once; throws CudaUnavailableError (with the reason) when CUDA cannot open. */
export async function registerCudaBackend(): Promise<void> {
  if (registered) return;
  const rt = CudaRuntime.open();
  registerBackend('cuda', () => new CudaBackend(rt), 3);
  for (const c of cudaKernelConfigs) if (!getKernel(c.kernelName, 'cuda')) registerKernel(withStringFallback(c));
  // tfjs-backend-cpu's kernels: the fallback runs them, and their list is what the stubs below complete.
  await import('@tensorflow/tfjs-backend-cpu');
  for (const c of fallbackConfigs) if (!getKernel(c.kernelName, 'cuda')) registerKernel(c);
  const have = new Set([...cudaKernelConfigs, ...fallbackConfigs].map((c) => c.kernelName));
  for (const c of getKernelsForBackend('cpu')) {
    if (have.has(c.kernelName) || getKernel(c.kernelName, 'cuda')) continue;
    const name = c.kernelName;
    registerKernel({ kernelName: name, backendName: 'cuda', kernelFunc: () => { throw new Error(`not implemented on cuda: ${name}`); } });
  }
  registered = true;
  void engine;
}

/** Names of the kernels cuda really implements (stubs excluded; fallback kernels included: they run). */
export function implementedKernels(): string[] {
  return [...cudaKernelConfigs, ...fallbackConfigs].map((c) => c.kernelName);
}

/** The kernels that run on tfjs-backend-cpu through the counted fallback, with the reason for each. */
export { FALLBACK_KERNELS } from './fallback_kernels.ts';
