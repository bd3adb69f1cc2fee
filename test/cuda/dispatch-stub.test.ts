/**
 * CI-safe: the cuda backend's host side over a stub libcuda (bench/cuda-stub-runtime.ts: every driver function
 * returns at once, no GPU). Checks what the per-op dispatch must hold to stay cheap and correct: one launch per
 * op, no device allocation and no compilation once warm, tensor accounting back to baseline through views, a move
 * to cpu and disposal, and a dataId of the backend's own handed back to `move` (tfjs keys data by it). Values are not
 * checked (the stub computes nothing): test/cuda/gpu.test.ts does that on the GPU host. Skips without a C compiler.
 */
import { afterAll, describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { activateStubCuda, buildStubLibcuda, removeStubFiles, stubCudaBackend, type StubCuda } from '../../bench/cuda-stub-runtime.ts';

function hasCc(): boolean {
  try {
    execFileSync(process.env.CC ?? 'cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasCc())('cuda dispatch over a stub driver', () => {
  let stub: StubCuda;
  beforeAll(async () => {
    stub = stubCudaBackend(buildStubLibcuda(), true);
    await activateStubCuda(stub);
  });
  afterAll(removeStubFiles);

  it('launches one kernel per op and, once warm, allocates and compiles nothing', () => {
    const x = tf.scalar(1);
    const a = tf.ones([4, 5]), b = tf.ones([4, 5]);
    for (let i = 0; i < 3; i++) tf.tidy(() => [tf.neg(x), tf.add(a, b), tf.relu(a)]).forEach((t) => t.dispose());
    const allocs = stub.rt.pool.stats().deviceAllocs;
    const compiles = stub.rt.compiler.stats.nvrtcCompiles + stub.rt.compiler.stats.diskHits;
    const tensors = tf.memory().numTensors;
    const launches = stub.launches();
    for (let i = 0; i < 100; i++) {
      tf.neg(x).dispose();
      tf.add(a, b).dispose();
    }
    expect(stub.launches() - launches).toBe(200);
    expect(stub.rt.pool.stats().deviceAllocs).toBe(allocs);
    expect(stub.rt.compiler.stats.nvrtcCompiles + stub.rt.compiler.stats.diskHits).toBe(compiles);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, a, b]);
  });

  it('keeps count of data and device bytes through views, a move to cpu, and disposal', async () => {
    const ids = stub.backend.numDataIds();
    const bytes = stub.rt.pool.stats().inUseBytes;
    const t = tf.ones([3, 7]);
    const r = tf.reshape(t, [21]);
    expect(stub.backend.numDataIds()).toBe(ids + 1);
    await tf.setBackend('cpu');
    const onCpu = tf.neg(r); // tfjs-cpu moves t's data to cpu (the stub reads back zeros)
    expect(stub.backend.numDataIds()).toBe(ids);
    expect(stub.rt.pool.stats().inUseBytes).toBe(bytes);
    tf.dispose([t, r, onCpu]);
    await tf.setBackend('cuda');
  });

  it('takes back one of its own dataIds in move (the record is revived, then freed once)', () => {
    const be = stub.backend;
    const ids = be.numDataIds();
    const bytes = stub.rt.pool.stats().inUseBytes;
    const dataId = be.write(new Float32Array(6), [6], 'float32');
    be.disposeData(dataId, true);
    expect(() => be.readSync(dataId)).toThrow(/tensor data not found/);
    be.move(dataId, new Float32Array(6), [6], 'float32', 1);
    expect(be.refCount(dataId)).toBe(1);
    expect(be.readSync(dataId)).toHaveLength(6);
    expect(be.numDataIds()).toBe(ids + 1);
    be.disposeData(dataId);
    be.disposeData(dataId);
    expect(be.numDataIds()).toBe(ids);
    expect(stub.rt.pool.stats().inUseBytes).toBe(bytes);
  });
});
