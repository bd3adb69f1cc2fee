/**
 * tfjs-node / tfjs-node-gpu: libtensorflow through N-API. Optional peers: they download libtensorflow at
 * install time, which needs network access, so on many machines they are simply absent.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../harness/core/types.ts';

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
  async sync(t: tf.Tensor): Promise<void> {
    await t.data();
  },
  describe(): DeviceInfo {
    return { description: `libtensorflow via ${loadedFrom ?? 'tfjs-node'}` };
  },
  async teardown(): Promise<void> {},
};
