/**
 * The one registration path: a backend adapter is initialised (registered and selected in tfjs), then
 * fusebench's own kernels are registered for it. Backends themselves know no fusebench kernel.
 */
import type { BackendAdapter } from './core/types.ts';
import { getAdapter } from '../backends/registry.ts';
import { registerFusebenchKernels } from '../kernels/registry.ts';

/** Loads, initialises and selects a backend, with fusebench's own kernels registered for it. */
export async function activateBackend(name: string): Promise<BackendAdapter> {
  const adapter = await getAdapter(name);
  await adapter.init();
  await registerFusebenchKernels(adapter.name);
  return adapter;
}
