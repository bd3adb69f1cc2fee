/** tfjs-backend-wasm: XNNPACK kernels compiled to WebAssembly with SIMD; threads where the runtime allows. */
import * as tf from '@tensorflow/tfjs-core';
import type { Availability, BackendAdapter, DeviceInfo } from '../harness/core/types.ts';
import { cpus } from 'node:os';
import { evictHostCaches, hostEvictionMethod } from './common/host-cache.ts';

let threads: number | undefined;
let simd: boolean | undefined;

export const wasmBackend: BackendAdapter = {
  name: 'wasm',
  kind: 'cpu',
  hasKernelTiming: false,
  async detect(): Promise<Availability> {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      return { available: true, reason: 'WebAssembly SIMD (XNNPACK)' };
    } catch (e) {
      return { available: false, reason: `cannot load @tensorflow/tfjs-backend-wasm: ${(e as Error).message}`, installHint: 'npm install @tensorflow/tfjs-backend-wasm' };
    }
  },
  async init(): Promise<void> {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
    await tf.ready();
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const mt = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
    threads = mt ? Math.max(1, cpus().length) : 1;
  },
  // tfjs-backend-wasm calls its WebAssembly kernels synchronously (with threads, XNNPACK's pool joins before the
  // kernel returns), so a call's work is done when it returns and the fence has nothing to wait for.
  async sync(): Promise<void> {},
  async evictCache(): Promise<void> {
    evictHostCaches();
  },
  get evictionMethod(): string {
    return hostEvictionMethod();
  },
  describe(): DeviceInfo {
    const threadText = threads === undefined ? 'threads unknown until init' : threads > 1 ? `${threads} threads` : 'no threads (single-threaded build)';
    return {
      description: `${cpus()[0]?.model ?? 'unknown CPU'} (WebAssembly${simd === false ? '' : ' SIMD'}, ${threadText})`,
      simd: simd ?? 'unknown',
      threads: threads ?? 0,
      threadsUsed: (threads ?? 1) > 1,
    };
  },
  async teardown(): Promise<void> {},
};
