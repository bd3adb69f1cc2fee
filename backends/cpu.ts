/** tfjs-backend-cpu: plain JavaScript kernels. */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../harness/core/types.ts';
import { cpus } from 'node:os';

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
  async sync(t: tf.Tensor): Promise<void> {
    await t.data();
  },
  describe(): DeviceInfo {
    return { description: `${cpus()[0]?.model ?? 'unknown CPU'} (JavaScript, single thread)`, threads: 1 };
  },
  async teardown(): Promise<void> {},
};
