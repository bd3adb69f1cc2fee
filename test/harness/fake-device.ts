/**
 * A fake asynchronous accelerator as a tfjs backend, to test the timing method without a GPU. Values are computed
 * on the host at once, but each kernel charges a known cost to a device timeline in real time, the way a GPU queue
 * runs behind the host: the host returns at once; `sync()` (the fence) waits until the timeline is idle and costs
 * nothing else; a read of a result waits for the timeline and then for a slow copy (PCIe), per byte.
 */
import * as tf from '@tensorflow/tfjs-core';
import { KernelBackend, registerKernel, type BackendTimingInfo, type DataId, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendValues } from '@tensorflow/tfjs-core/dist/types';
import { performance } from 'node:perf_hooks';
import type { Availability, BackendAdapter, DeviceInfo } from '../../harness/core/types.ts';

export const FAKE = 'fakegpu';

/** Milliseconds of device time per kernel, and of read-back: a fixed cost plus a cost per byte. */
export const COST = { kernelMs: 5.0, readFixedMs: 10.0, readPerByteMs: 2e-6 };

interface Stored {
  values: Float32Array;
  refCount: number;
}

/** The device timeline: work queued in order, each kernel starting when the previous one ends. */
class Timeline {
  busyUntil = 0;
  /** Device milliseconds charged since the last reset (what device timers report). */
  charged = 0;
  reads = 0;
  charge(ms: number): void {
    this.busyUntil = Math.max(performance.now(), this.busyUntil) + ms;
    this.charged += ms;
  }
  /** Waits, spinning as a blocking device synchronize does, until the queued work is done. */
  async drain(): Promise<void> {
    while (performance.now() < this.busyUntil) { /* the device is still busy */ }
  }
}

export const timeline = new Timeline();

export class FakeGpuBackend extends KernelBackend {
  private readonly store = new WeakMap<DataId, Stored>();
  private live = 0;
  /** The most data ids alive at once since the last resetPeak(). */
  peakLive = 0;

  resetPeak(): void {
    this.peakLive = this.live;
  }
  private track(delta: number): void {
    this.live += delta;
    this.peakLive = Math.max(this.peakLive, this.live);
  }
  override write(values: BackendValues, shape: number[]): DataId {
    const id = {};
    this.store.set(id, { values: values ? Float32Array.from(values as ArrayLike<number>) : new Float32Array(shape.reduce((a, b) => a * b, 1)), refCount: 1 });
    this.track(1);
    return id;
  }
  override move(dataId: DataId, values: BackendValues, shape: number[], _dtype: DataType, refCount: number): void {
    this.store.set(dataId, { values: values ? Float32Array.from(values as ArrayLike<number>) : new Float32Array(shape.reduce((a, b) => a * b, 1)), refCount });
    this.track(1);
  }
  output(values: Float32Array, shape: number[]): TensorInfo {
    const dataId = {};
    this.store.set(dataId, { values, refCount: 1 });
    this.track(1);
    return { dataId, shape, dtype: 'float32' };
  }
  valuesOf(t: TensorInfo): Float32Array {
    return this.store.get(t.dataId)!.values;
  }
  /** A read waits for the device, then for the copy; both kinds of read are counted. */
  override readSync(dataId: DataId): BackendValues {
    while (performance.now() < timeline.busyUntil) { /* waiting for the device */ }
    return this.copy(dataId);
  }
  override async read(dataId: DataId): Promise<BackendValues> {
    await timeline.drain();
    return this.copy(dataId);
  }
  private copy(dataId: DataId): Float32Array {
    const v = this.store.get(dataId)!.values;
    timeline.reads++;
    const until = performance.now() + COST.readFixedMs + v.byteLength * COST.readPerByteMs;
    while (performance.now() < until) { /* the copy */ }
    return v.slice();
  }
  override refCount(dataId: DataId): number {
    return this.store.get(dataId)?.refCount ?? 0;
  }
  override incRef(dataId: DataId): void {
    this.store.get(dataId)!.refCount++;
  }
  override disposeData(dataId: DataId, force = false): boolean {
    const d = this.store.get(dataId);
    if (!d) return true;
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    this.store.delete(dataId);
    this.track(-1);
    return true;
  }
  override numDataIds(): number {
    return this.live;
  }
  override memory(): { unreliable: boolean } {
    return { unreliable: true };
  }
  /** A device timer, as GPU backends have (so tf.profile reads nothing back either). */
  override timerAvailable(): boolean {
    return true;
  }
  override async time(f: () => void): Promise<BackendTimingInfo> {
    const before = timeline.charged;
    f();
    return { kernelMs: timeline.charged - before };
  }
  override floatPrecision(): 32 {
    return 32;
  }
  override epsilon(): number {
    return 1e-7;
  }
  override dispose(): void {}
}

function elementwise(name: string, arity: 1 | 2, f: (a: number, b: number) => number): KernelConfig {
  return {
    kernelName: name,
    backendName: FAKE,
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as FakeGpuBackend;
      const ins = Object.values(inputs) as TensorInfo[];
      const a = b.valuesOf(ins[0]!);
      const c = arity === 2 ? b.valuesOf(ins[1]!) : a;
      const out = new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, c[i]!);
      timeline.charge(COST.kernelMs);
      return b.output(out, [...ins[0]!.shape]);
    },
  };
}

let registered = false;

/** Registers the fake backend with Add, Relu and a fused FakeAddRelu kernel, each costing COST.kernelMs. */
export function registerFakeGpu(): FakeGpuBackend {
  if (!registered) {
    tf.registerBackend(FAKE, () => new FakeGpuBackend(), 0);
    registerKernel(elementwise('Add', 2, (a, b) => a + b));
    registerKernel(elementwise('Relu', 1, (a) => Math.max(a, 0)));
    registerKernel(elementwise('FakeAddRelu', 2, (a, b) => Math.max(a + b, 0)));
    registered = true;
  }
  return tf.findBackend(FAKE) as FakeGpuBackend;
}

export const fakeGpuAdapter: BackendAdapter = {
  name: FAKE,
  kind: 'gpu',
  hasKernelTiming: false,
  async detect(): Promise<Availability> {
    return { available: true, reason: 'fake asynchronous device (tests)' };
  },
  async init(): Promise<void> {
    registerFakeGpu();
    await tf.setBackend(FAKE);
  },
  async sync(): Promise<void> {
    await timeline.drain();
  },
  async deviceTime(issue: () => void): Promise<number> {
    const before = timeline.charged;
    issue();
    await timeline.drain();
    return timeline.charged - before;
  },
  describe(): DeviceInfo {
    return { description: 'fake asynchronous device' };
  },
  async teardown(): Promise<void> {},
};
