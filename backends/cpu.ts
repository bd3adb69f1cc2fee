/** tfjs-backend-cpu: plain JavaScript kernels. */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../harness/core/types.ts';
import { cpus } from 'node:os';
import { evictHostCaches, hostEvictionMethod } from './common/host-cache.ts';

/**
 * tfjs-backend-cpu prints "install our node backend" on its first tensor in Node, once per process: with worker
 * processes that is dozens of times per run. fusebench reports the backends itself, so the banner is switched off
 * (the backend's own first-use flag), and nothing else tfjs warns about is.
 */
export function silenceNodeBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

export const cpuBackend: BackendAdapter = {
  name: 'cpu',
  kind: 'cpu',
  hasKernelTiming: false,
  async detect(): Promise<Availability> {
    try {
      await import('@tensorflow/tfjs-backend-cpu');
      return { available: true, reason: 'JavaScript kernels, 1 thread' };
    } catch (e) {
      return { available: false, reason: `cannot load @tensorflow/tfjs-backend-cpu: ${(e as Error).message}`, installHint: 'npm install @tensorflow/tfjs-backend-cpu' };
    }
  },
  async init(): Promise<void> {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
    await tf.ready();
    silenceNodeBanner();
  },
  // tfjs-backend-cpu runs every kernel to completion inside the op call: by the time a call returns its work is
  // done, so the fence has nothing to wait for.
  async sync(): Promise<void> {},
  async evictCache(): Promise<void> {
    evictHostCaches();
  },
  get evictionMethod(): string {
    return hostEvictionMethod();
  },
  describe(): DeviceInfo {
    return { description: `${cpus()[0]?.model ?? 'unknown CPU'} (JavaScript, single thread)`, threads: 1 };
  },
  async teardown(): Promise<void> {},
};
