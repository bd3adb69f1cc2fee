/** tfjs-backend-cpu: plain JavaScript kernels. */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../harness/core/types.ts';
import { cpus } from 'node:os';
import { evictHostCaches, hostEvictionMethod } from './common/host-cache.ts';

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
