/** Shared by the suite and kernel tests: select a backend with fusebench's kernels, and run a suite at one size. */
import * as tf from '@tensorflow/tfjs-core';
import { cpuBackend } from '../../backends/cpu.ts';
import { wasmBackend } from '../../backends/wasm.ts';
import { installedTensorflowPackage, tensorflowBackend } from '../../backends/tensorflow.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';
import { buildSizeState } from '../../harness/measure.ts';
import { launchCount } from '../../harness/core/launches.ts';
import { compareWithReference } from '../../harness/core/correctness.ts';
import { defaultConfig } from '../../harness/core/config.ts';
import { seededRandom } from '../../harness/core/stats.ts';
import type { ErrorStats, SizeParams, SuiteSpec, Tolerance } from '../../harness/core/types.ts';
import { kernelNames, profileKernels } from '../../harness/kernel-profile.ts';

/** tensorflow joins when tfjs-node is installed with its addon built (`fusebench setup tensorflow`; CI does it where a wheel is at hand). */
export const TENSORFLOW_INSTALLED = installedTensorflowPackage() !== undefined;
export type TestBackend = 'cpu' | 'wasm' | 'tensorflow';
export const BACKENDS: readonly TestBackend[] = TENSORFLOW_INSTALLED ? ['cpu', 'wasm', 'tensorflow'] : ['cpu', 'wasm'];

const ADAPTERS = { cpu: cpuBackend, wasm: wasmBackend, tensorflow: tensorflowBackend } as const;

export async function useBackend(name: TestBackend): Promise<void> {
  await ADAPTERS[name].init();
  await registerFusebenchKernels(name);
}

function toleranceFor(spec: SuiteSpec, p: SizeParams): Tolerance {
  const t = spec.tolerance;
  if (t === undefined) return defaultConfig.tolerance;
  return typeof t === 'function' ? t(p) : t;
}

export interface SuiteCheck {
  readonly unfused: ErrorStats;
  readonly fused: ErrorStats;
  readonly shapeUnfused: number[];
  readonly shapeFused: number[];
  /** Kernels launched by one fused call (views and wrappers excluded, each launch once: harness/kernel-profile.ts). */
  readonly fusedLaunches: string[];
  readonly leaked: number;
}

/** Runs unfused and fused once at `p` on the current backend and compares both with the suite's float64 reference. */
export async function checkSuite(spec: SuiteSpec, p: SizeParams, seed = 1234): Promise<SuiteCheck> {
  const before = tf.memory().numTensors;
  const state = buildSizeState(spec, p, seededRandom(seed));
  try {
    const u = state.unfused();
    const f = state.fused();
    const x: Record<string, Float64Array> = {};
    for (const [k, h] of Object.entries(state.host)) x[k] = h.data;
    const want = spec.reference(x, p);
    const tol = toleranceFor(spec, p);
    const result = {
      unfused: compareWithReference(u.dataSync() as Float32Array, want, tol),
      fused: compareWithReference(f.dataSync() as Float32Array, want, tol),
      shapeUnfused: u.shape,
      shapeFused: f.shape,
    };
    u.dispose();
    f.dispose();
    const prof = await profileKernels(() => state.fused());
    const fusedLaunches = kernelNames(prof.kernels).filter((n) => launchCount([n]) === 1);
    prof.result.dispose();
    state.dispose();
    return { ...result, fusedLaunches, leaked: tf.memory().numTensors - before };
  } catch (e) {
    state.dispose();
    throw e;
  }
}
