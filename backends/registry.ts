/**
 * Every backend fusebench knows, in preference order. Adding one is one adapter file plus a line here.
 * `FUSEBENCH_BACKENDS=cpu,wasm` (or `--backends`) selects; the default is every available one.
 */
import type { BackendAdapter, BackendKind, BackendStatus } from '../harness/core/types.ts';
import { UsageError } from '../harness/core/errors.ts';
import { cpuBackend } from './cpu.ts';
import { wasmBackend } from './wasm.ts';
import { tensorflowBackend } from './tensorflow.ts';

type AdapterLoader = () => Promise<BackendAdapter>;

/** GPU adapters are loaded lazily so that a machine without their native pieces never imports them. */
const ADAPTERS: ReadonlyArray<readonly [string, AdapterLoader]> = [
  ['cpu', async () => cpuBackend],
  ['wasm', async () => wasmBackend],
  ['tensorflow', async () => tensorflowBackend],
  ['webgpu', async () => (await import('./webgpu/adapter.ts')).webgpuBackend],
  ['cuda', async () => (await import('./cuda/adapter.ts')).cudaBackend],
];

export const knownBackends: readonly string[] = ADAPTERS.map(([name]) => name);

/**
 * The kind to list for an adapter that failed to load. A loaded adapter states its own: tensorflow's follows the
 * package it loaded (tfjs-node-gpu is gpu), so only an adapter that never loaded falls back to this.
 */
const KIND_WHEN_UNLOADED: Readonly<Record<string, BackendKind>> = { cpu: 'cpu', wasm: 'cpu', tensorflow: 'cpu', webgpu: 'gpu', cuda: 'gpu' };

export async function getAdapter(name: string): Promise<BackendAdapter> {
  const entry = ADAPTERS.find(([n]) => n === name);
  if (!entry) throw new Error(`unknown backend "${name}"; known backends: ${knownBackends.join(', ')}`);
  return entry[1]();
}

/**
 * Detects every known backend, or only those named in `only` (detecting loads a backend's native library: TensorFlow,
 * libcuda, Dawn; a run that names its backends loads nothing else); a backend that fails to even load is reported
 * unavailable with the reason.
 */
export async function detectAll(only?: readonly string[]): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const [name, loader] of ADAPTERS) {
    if (only && !only.includes(name)) continue;
    try {
      const adapter = await loader();
      const availability = await adapter.detect();
      out.push({ name, kind: adapter.kind, ...availability });
    } catch (e) {
      out.push({ name, kind: KIND_WHEN_UNLOADED[name] ?? 'gpu', available: false, reason: `adapter failed to load: ${(e as Error).message}` });
    }
  }
  return out;
}

/** Parses a comma list of backend names, naming the source of a bad one. */
export function parseBackendList(text: string, source: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!knownBackends.includes(n)) throw new UsageError(`${source}: unknown backend "${n}"; known backends: ${knownBackends.join(', ')}`);
  }
  if (names.length === 0) throw new UsageError(`${source}: empty backend list`);
  return names;
}
