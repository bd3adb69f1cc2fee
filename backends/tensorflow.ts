/**
 * tfjs-node / tfjs-node-gpu: libtensorflow through N-API. Optional peers: their install script downloads
 * libtensorflow 2.9.1 from Google's servers (CPU, or CUDA 11.2), so `fusebench setup tensorflow` builds them
 * from a TensorFlow wheel instead (harness/setup/). The kind follows the package actually loaded: tfjs-node-gpu
 * is `gpu`, tfjs-node is `cpu`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Availability, BackendAdapter, BackendKind, DeviceInfo } from '../harness/core/types.ts';
import { evictHostCaches, hostEvictionMethod } from './common/host-cache.ts';

export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export type TensorflowPackage = (typeof TENSORFLOW_PACKAGES)[number];

export const INSTALL_HINT = 'npx fusebench setup tensorflow (offline: builds tfjs-node against a TensorFlow wheel from pip; --gpu for tfjs-node-gpu); ' +
  'online: npm install --no-save --save-dev @tensorflow/tfjs-node@4.22.0 (its install script downloads libtensorflow 2.9.1 from storage.googleapis.com)';

/** The kind a package runs as: tfjs-node-gpu places ops on a GPU when TensorFlow finds one. */
export const kindOfPackage = (pkg: string | undefined): BackendKind => (pkg === '@tensorflow/tfjs-node-gpu' ? 'gpu' : 'cpu');

/** What tfjs-node's backend object exposes that we read (typed here: tfjs-node is an optional peer). */
interface NodeBackendInfo {
  readonly binding?: { readonly TF_Version?: string };
  readonly isUsingGpuDevice?: boolean;
}

let loadedFrom: TensorflowPackage | undefined;

/**
 * The tfjs-node package installed here with its native addon built (where node-pre-gyp, as the package itself
 * does, looks for it), found without loading TensorFlow; undefined when there is none. Tests use it to decide
 * whether the tensorflow backend is theirs to test.
 */
export function installedTensorflowPackage(): TensorflowPackage | undefined {
  const req = createRequire(import.meta.url);
  for (const pkg of TENSORFLOW_PACKAGES) {
    try {
      const packageJson = req.resolve(`${pkg}/package.json`);
      const preGyp = createRequire(packageJson)('@mapbox/node-pre-gyp') as { find(p: string): string };
      if (existsSync(preGyp.find(packageJson))) return pkg;
    } catch {
      // not installed, or installed without node-pre-gyp: not usable either way
    }
  }
  return undefined;
}

async function load(): Promise<TensorflowPackage> {
  // TensorFlow logs at INFO and WARNING to stderr, including for each op a kernel probe finds unimplemented
  // (kernels/common/tf_fused.ts); those probes are expected to fail. Errors still show; a user's setting wins.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const failures: string[] = [];
  for (const pkg of TENSORFLOW_PACKAGES) {
    try {
      await import(pkg);
      return pkg;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      failures.push(err.code === 'ERR_MODULE_NOT_FOUND' ? `${pkg} not installed` : `${pkg}: ${err.message.split('\n')[0]}`);
    }
  }
  throw new Error(failures.join('; '));
}

function nodeBackend(): NodeBackendInfo | undefined {
  try {
    return tf.findBackend('tensorflow') as unknown as NodeBackendInfo;
  } catch {
    return undefined;
  }
}

function loadedText(): string {
  const b = nodeBackend();
  const version = b?.binding?.TF_Version;
  return `${loadedFrom ?? 'tfjs-node'}${version ? `, TensorFlow ${version}` : ''}${b?.isUsingGpuDevice ? ', GPU device in use' : loadedFrom === '@tensorflow/tfjs-node-gpu' ? ', no GPU device found (ops run on the CPU)' : ''}`;
}

export const tensorflowBackend: BackendAdapter = {
  name: 'tensorflow',
  get kind(): BackendKind {
    return kindOfPackage(loadedFrom);
  },
  hasKernelTiming: false,
  async detect(): Promise<Availability> {
    try {
      loadedFrom = await load();
      return { available: true, reason: `from ${loadedText()}` };
    } catch (e) {
      return { available: false, reason: (e as Error).message.slice(0, 300), installHint: INSTALL_HINT };
    }
  },
  async init(): Promise<void> {
    loadedFrom ??= await load();
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") failed');
    await tf.ready();
  },
  // tfjs-node runs TensorFlow eagerly and synchronously on the CPU: TFE_Execute returns with the work done, so the
  // fence has nothing to wait for there. On a GPU build, TensorFlow only enqueues on its compute stream; a
  // one-element op read back after everything else waits for that stream to drain.
  async sync(): Promise<void> {
    if (this.kind !== 'gpu') return;
    const probe = tf.tidy(() => tf.add(tf.scalar(0), 1));
    await probe.data();
    probe.dispose();
  },
  async evictCache(): Promise<void> {
    // tfjs-node-gpu without a usable GPU runs on the CPU, whose caches can be evicted as tfjs-node's.
    if (nodeBackend()?.isUsingGpuDevice) throw new Error('tensorflow: cannot evict a GPU cache from tfjs-node-gpu');
    evictHostCaches();
  },
  get evictionMethod(): string {
    return hostEvictionMethod();
  },
  describe(): DeviceInfo {
    return { description: `libtensorflow via ${loadedText()}`, gpu: nodeBackend()?.isUsingGpuDevice === true };
  },
  async teardown(): Promise<void> {},
};
