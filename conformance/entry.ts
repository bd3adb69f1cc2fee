/**
 * The bundle's own code. conformance/bundle.ts bundles it with tfjs-core's test files and our specs, so the
 * backend under test, fusebench's kernels and the tests share ONE tfjs-core instance (dist/index.js). The
 * runner outside the bundle never imports tfjs-core itself.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tf from '@tensorflow/tfjs-core';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { getAdapter, knownBackends } from '../backends/registry.ts';
import { activateBackend } from '../harness/activate.ts';
import { registerFusebenchKernels } from '../kernels/registry.ts';

export { knownBackends };

export interface BackendCheck {
  readonly available: boolean;
  readonly reason: string;
}

/** Whether the backend can run here, and why not. */
export async function detect(name: string): Promise<BackendCheck> {
  const { available, reason } = await (await getAdapter(name)).detect();
  return { available, reason: reason ?? (available ? 'available' : 'unavailable (no reason given)') };
}

/**
 * Activates the backend as fusebench does (the adapter's init, then fusebench's kernels), then makes it the
 * one test environment, so that every describeWithFlags imported afterwards runs on it and only on it.
 * Returns the adapter's description of the device.
 */
export async function activate(name: string, wasmDir: string): Promise<string> {
  // Bundled, tfjs-backend-wasm cannot find its .wasm files beside itself: point it at its package.
  if (name === 'wasm') (await import('@tensorflow/tfjs-backend-wasm')).setWasmPaths(wasmDir);
  const adapter = await activateBackend(name);
  setTestEnvs([{ name, backendName: name, isDataSync: true }]);
  return adapter.describe().description;
}

/**
 * The backend's stub kernels: registered only to throw "not implemented on <backend>: <name>" (cuda registers
 * one for every tfjs-backend-cpu kernel it lacks). Empty for tfjs's own backends.
 */
export async function stubKernels(name: string): Promise<string[]> {
  if (name !== 'cuda') return [];
  const { implementedKernels } = await import('../backends/cuda/register.ts');
  const real = new Set([...implementedKernels(), ...(await registerFusebenchKernels(name))]);
  return tf.getKernelsForBackend(name).map((k) => k.kernelName).filter((k) => !real.has(k)).sort();
}

export interface MemoryNow {
  readonly numTensors: number;
  readonly numBytes: number;
  /** Device bytes held by live tensors (backend.memory().numBytesInGPU: cuda's pool, webgpu's buffers). */
  readonly deviceBytes?: number;
}

/** tf.memory() of the active backend. */
export function memoryNow(): MemoryNow {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: unknown };
  return { numTensors: m.numTensors, numBytes: m.numBytes, ...(typeof m.numBytesInGPU === 'number' ? { deviceBytes: m.numBytesInGPU } : {}) };
}

/**
 * Selects the backend again and reads tf.memory(): tfjs's describeWithFlags resets the engine after each suite,
 * which disposes the backend instance; a new one reads the same device pool (cuda's lives in its runtime).
 */
export async function memoryAfterRun(name: string): Promise<MemoryNow> {
  await tf.setBackend(name);
  await tf.ready();
  return memoryNow();
}

/** The backend's host round trips so far, by cause (BackendAdapter.hostTrips), or undefined where it does not count them. */
export async function hostTripCounts(name: string): Promise<Readonly<Record<string, number>> | undefined> {
  return (await getAdapter(name)).hostTrips?.().byCause;
}
