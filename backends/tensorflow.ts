/**
 * tfjs-node / tfjs-node-gpu: libtensorflow through N-API. Optional peers: they download libtensorflow at
 * install time, which needs network access, so on many machines they are simply absent.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../harness/core/types.ts';
import { evictHostCaches, hostEvictionMethod } from './common/host-cache.ts';

const PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
let loadedFrom: string | undefined;

async function load(): Promise<string> {
  const failures: string[] = [];
  for (const pkg of PACKAGES) {
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

export const tensorflowBackend: BackendAdapter = {
  name: 'tensorflow',
  kind: 'cpu',
  hasKernelTiming: false,
  async detect(): Promise<Availability> {
    try {
      loadedFrom = await load();
      return { available: true, reason: `from ${loadedFrom}` };
    } catch (e) {
      return {
        available: false,
        reason: (e as Error).message.slice(0, 300),
        installHint: 'npm install @tensorflow/tfjs-node (downloads libtensorflow at install: needs network access)',
      };
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
    if (this.kind === 'gpu') throw new Error('tensorflow: cannot evict a GPU cache from tfjs-node-gpu');
    evictHostCaches();
  },
  get evictionMethod(): string {
    return hostEvictionMethod();
  },
  describe(): DeviceInfo {
    return { description: `libtensorflow via ${loadedFrom ?? 'tfjs-node'}` };
  },
  async teardown(): Promise<void> {},
};
