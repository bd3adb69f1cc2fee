/**
 * The `cuda` tfjs KernelBackend: tensors live in device memory from the caching pool; kernels run on
 * the default stream in order; reads copy back synchronously after the stream drains.
 * bool tensors are stored as int32 0/1 on the device and come back as Uint8Array, as on tfjs-backend-cpu.
 * complex64 tensors are pairs of float32 tensors; string tensors stay on the host.
 */
import { backend_util, KernelBackend, util, type BackendTimingInfo, type DataId, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendValues } from '@tensorflow/tfjs-core/dist/types';
import { CudaRuntime } from './runtime/context.ts';

/**
 * A tensor's storage. The dataIds this backend makes ARE these records, so an access is no map lookup
 * (a WeakMap get, set and delete cost ~0.1 µs per op); a dataId tfjs makes (`move`) maps to one in `store`.
 */
class DeviceData {
  constructor(
    /** The backend instance that made it (tfjs makes a new one after each engine reset). */
    readonly owner: object,
    public ptr: number,
    /** Elements held (the tensor that wrote it; reshapes share it). */
    public size: number,
    public dtype: DataType,
    public refCount: number,
    /** A slot of the runtime's constant slab (a cached scalar): never returned to the pool. */
    public constant: boolean,
  ) {}
  /** false once disposed: the record may outlive its data as tfjs's key. */
  live = true;
  /** Tensors derived from this data (e.g. a filter in cuDNN's layout), freed with it. */
  derived: Map<string, TensorInfo> | undefined = undefined;
  /**
   * complex64: no memory of its own; two float32 tensors of this backend hold the real and imaginary parts (as
   * tfjs-backend-cpu's complexTensorInfos), owned by this record and disposed with it.
   */
  complex: { readonly real: TensorInfo; readonly imag: TensorInfo } | undefined = undefined;
  /**
   * string: the encoded values, kept on the host (no CUDA kernel takes strings; every kernel given one runs on
   * tfjs-backend-cpu through the counted fallback, fallback.ts).
   */
  strings: readonly Uint8Array[] | undefined = undefined;
  /**
   * Neighbours in the backend's list of live records (an intrusive list: linking and unlinking are a few field
   * writes, where a Set's add and delete would hash on every op).
   */
  prev: DeviceData | undefined = undefined;
  next: DeviceData | undefined = undefined;
}

export type DeviceDtype = 'float32' | 'int32';

/**
 * The device representation of a tfjs dtype. complex64 tensors are pairs of float32 tensors and string tensors stay on
 * the host (backend.ts), so no device kernel takes either: this throws for them, naming the kernel.
 */
export function deviceDtype(dtype: DataType, what: string): DeviceDtype {
  if (dtype === 'float32') return 'float32';
  if (dtype === 'int32' || dtype === 'bool') return 'int32';
  throw new Error(`not implemented on cuda: ${what} with dtype ${dtype}`);
}

export class CudaBackend extends KernelBackend {
  readonly rt: CudaRuntime;
  private readonly store = new WeakMap<DataId, DeviceData>();
  /**
   * First of every record still holding data, so that dispose() can give its device memory back: tfjs's engine
   * reset drops the tensors a spec left behind (a gradient whose backward pass threw, for one) without disposing
   * them, and a host backend's garbage collector frees them; device memory needs this list.
   */
  private liveHead: DeviceData | undefined = undefined;
  private liveIds = 0;
  private readonly startEv: unknown;
  private readonly endEv: unknown;
  private eventsLive = true;

  constructor(rt: CudaRuntime = CudaRuntime.open()) {
    super();
    this.rt = rt;
    this.startEv = rt.driver.eventCreate();
    this.endEv = rt.driver.eventCreate();
  }

  // ---- storage -------------------------------------------------------------------------------

  private lookup(dataId: DataId): DeviceData | undefined {
    const d = dataId instanceof DeviceData && dataId.owner === this ? dataId : this.store.get(dataId);
    return d?.live ? d : undefined;
  }

  private entry(dataId: DataId): DeviceData {
    const d = this.lookup(dataId);
    if (!d) throw new Error('cuda: tensor data not found (disposed, or created on another backend)');
    return d;
  }

  /** Device address of a tensor's data (0 for an empty tensor). */
  ptr(t: TensorInfo): number {
    return this.entry(t.dataId).ptr;
  }

  /** Puts a record that now holds data on the live list and counts it. */
  private link(d: DeviceData): void {
    d.prev = undefined;
    d.next = this.liveHead;
    if (this.liveHead) this.liveHead.prev = d;
    this.liveHead = d;
    this.liveIds++;
  }

  private unlink(d: DeviceData): void {
    if (d.prev) d.prev.next = d.next;
    else this.liveHead = d.next;
    if (d.next) d.next.prev = d.prev;
    d.prev = d.next = undefined;
  }

  /** A new record of this backend, linked and counted; its dataId is the record itself. */
  private record(ptr: number, size: number, dtype: DataType, refCount: number, constant: boolean): DeviceData {
    const d = new DeviceData(this, ptr, size, dtype, refCount, constant);
    this.link(d);
    return d;
  }

  private allocate(size: number, dtype: DataType): DataId {
    deviceDtype(dtype, 'tensor');
    return this.record(this.rt.pool.acquire(size * 4), size, dtype, 1, false);
  }

  private upload(d: DeviceData, values: BackendValues): void {
    if (d.size === 0) return;
    const host = toDeviceArray(values, d.dtype, d.size);
    this.rt.driver.htod(d.ptr, host, d.size * 4);
  }

  /** Fills a record just made: device values uploaded, string values kept, complex values split into two parts. */
  private fill(d: DeviceData, values: BackendValues | null, shape: number[]): void {
    if (d.dtype === 'string') {
      d.strings = (values ?? []) as Uint8Array[];
    } else if (d.dtype === 'complex64') {
      // Values of a complex64 tensor come interleaved (real, imag, …), as tfjs reads and moves them.
      const { real, imag } = backend_util.splitRealAndImagArrays(values as Float32Array);
      d.complex = { real: this.makeTensorInfo(shape, 'float32', real), imag: this.makeTensorInfo(shape, 'float32', imag) };
    } else if (values != null) {
      this.upload(d, values);
    }
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    const size = util.sizeFromShape(shape);
    if (dtype === 'complex64' || dtype === 'string') {
      checkHostValues(values, dtype);
      const d = this.record(0, size, dtype, 1, false);
      this.fill(d, values, shape);
      return d;
    }
    if (size === 1 && values != null && deviceDtype(dtype, 'tensor')) {
      // Scalars (tf.add(t, 1) makes one per call) share one device slot per bit pattern: no upload, which
      // would wait for the stream, and no allocation. Sound because tfjs never writes into an input's data.
      const ptr = this.rt.constant(scalarBits(values, dtype));
      if (ptr !== 0) return this.record(ptr, 1, dtype, 1, true);
    }
    const dataId = this.allocate(size, dtype);
    if (values != null) this.upload(this.entry(dataId), values);
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    const onDevice = dtype !== 'complex64' && dtype !== 'string';
    if (onDevice) deviceDtype(dtype, 'tensor');
    else checkHostValues(values, dtype);
    const size = util.sizeFromShape(shape);
    const ptr = onDevice ? this.rt.pool.acquire(size * 4) : 0;
    let d: DeviceData;
    if (dataId instanceof DeviceData && dataId.owner === this) {
      // One of our own records coming back (cuda → another backend → cuda): it is tfjs's key, so revive it.
      d = dataId;
      Object.assign(d, { ptr, size, dtype, refCount, constant: false, live: true, derived: undefined, complex: undefined, strings: undefined });
      this.link(d);
    } else {
      this.store.set(dataId, (d = this.record(ptr, size, dtype, refCount, false)));
    }
    this.fill(d, values, shape);
  }

  /**
   * A complex64 tensor made of two float32 tensors of this backend (taken over: disposed with it), as tfjs's Complex
   * kernel makes one.
   */
  makeComplex(real: TensorInfo, imag: TensorInfo, shape: readonly number[]): TensorInfo {
    const d = this.record(0, util.sizeFromShape(shape as number[]), 'complex64', 1, false);
    d.complex = { real, imag };
    return { dataId: d, shape: [...shape], dtype: 'complex64' };
  }

  /** The real and imaginary parts of a complex64 tensor, as float32 tensors of the tensor's shape (new references). */
  complexParts(t: TensorInfo): { real: TensorInfo; imag: TensorInfo } {
    const c = this.entry(t.dataId).complex;
    if (!c) throw new Error(`cuda: tensor of dtype ${t.dtype} has no complex parts`);
    return { real: this.view(c.real, t.shape), imag: this.view(c.imag, t.shape) };
  }

  /** A fresh output tensor with uninitialised device memory. */
  makeOutput(shape: readonly number[], dtype: DataType): TensorInfo {
    return { dataId: this.allocate(util.sizeFromShape(shape as number[]), dtype), shape: [...shape], dtype };
  }

  makeTensorInfo(shape: readonly number[], dtype: DataType, values?: BackendValues): TensorInfo {
    const dataId = this.write(values ?? null as unknown as BackendValues, [...shape], dtype);
    return { dataId, shape: [...shape], dtype };
  }

  /** A view of `t` with another shape (same element count), sharing its device memory. */
  view(t: TensorInfo, shape: readonly number[]): TensorInfo {
    this.incRef(t.dataId);
    return { dataId: t.dataId, shape: [...shape], dtype: t.dtype };
  }

  /**
   * A tensor computed once from `t` by `make` and kept until t's data is disposed. Sound because tfjs never
   * changes the values under a dataId (a Variable's assign moves it to a new dataId).
   */
  derivedOf(t: TensorInfo, key: string, make: () => TensorInfo): TensorInfo {
    const e = this.entry(t.dataId);
    const m = (e.derived ??= new Map());
    let d = m.get(key);
    if (!d) {
      m.set(key, (d = make()));
      // Not a tensor of tfjs's: left out of numDataIds, so the engine's leak check does not count it.
      this.liveIds--;
    }
    return d;
  }

  disposeIntermediate(t: TensorInfo): void {
    this.disposeData(t.dataId);
  }

  override refCount(dataId: DataId): number {
    return this.lookup(dataId)?.refCount ?? 0;
  }
  override incRef(dataId: DataId): void {
    this.entry(dataId).refCount++;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const d = this.lookup(dataId);
    if (!d) return true;
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    if (!d.constant) this.rt.pool.release(d.ptr, d.size * 4);
    d.ptr = 0;
    d.live = false;
    this.unlink(d);
    if (d !== dataId) this.store.delete(dataId);
    this.liveIds--;
    d.strings = undefined;
    const complex = d.complex;
    if (complex) {
      d.complex = undefined;
      this.disposeData(complex.real.dataId);
      this.disposeData(complex.imag.dataId);
    }
    const derived = d.derived;
    if (derived) {
      d.derived = undefined;
      for (const t of derived.values()) {
        this.liveIds++;
        this.disposeData(t.dataId, true);
      }
    }
    return true;
  }

  override numDataIds(): number {
    return this.liveIds;
  }

  override readSync(dataId: DataId): BackendValues {
    const d = this.entry(dataId);
    if (d.strings) return d.strings as Uint8Array[];
    if (d.complex) {
      return backend_util.mergeRealAndImagArrays(this.readSync(d.complex.real.dataId) as Float32Array, this.readSync(d.complex.imag.dataId) as Float32Array);
    }
    const out = new (d.dtype === 'float32' ? Float32Array : Int32Array)(d.size);
    if (d.size > 0) this.rt.driver.dtoh(out, d.ptr, d.size * 4);
    return d.dtype === 'bool' ? Uint8Array.from(out as Int32Array) : out;
  }

  override async read(dataId: DataId): Promise<BackendValues> {
    return this.readSync(dataId);
  }

  override memory(): { unreliable: boolean; reasons: string[]; numBytesInGPU: number; numBytesInGPUAllocated: number; numBytesInGPUFree: number } {
    const s = this.rt.pool.stats();
    return { unreliable: false, reasons: [], numBytesInGPU: s.inUseBytes, numBytesInGPUAllocated: s.inUseBytes + s.cachedBytes, numBytesInGPUFree: s.cachedBytes };
  }

  /** Frees the pool's cached blocks back to the device. */
  emptyCache(): void {
    this.rt.pool.trim();
  }

  // ---- timing --------------------------------------------------------------------------------

  override timerAvailable(): boolean {
    return true;
  }

  /** kernelMs: GPU time between CUDA events recorded before and after `f` on the stream. */
  override async time(f: () => void): Promise<BackendTimingInfo> {
    const drv = this.rt.driver;
    drv.eventRecord(this.startEv);
    f();
    drv.eventRecord(this.endEv);
    drv.eventSynchronize(this.endEv);
    return { kernelMs: drv.elapsedMs(this.startEv, this.endEv) };
  }

  /** Blocks until every kernel launched so far has finished (they all go to the legacy default stream). */
  synchronize(): void {
    this.rt.driver.streamSynchronize();
  }

  override floatPrecision(): 32 {
    return 32;
  }
  override epsilon(): number {
    return 1e-7;
  }
  /**
   * The runtime (device, pool, compiled kernels) outlives this backend; its timing events do not. tfjs makes a
   * new backend after every engine reset (its test harness resets once per describe block), so free them here.
   */
  override dispose(): void {
    // Tensors still alive are unreachable now (tfjs's engine reset drops them); their device memory goes back.
    for (let d = this.liveHead; d; ) {
      const next: DeviceData | undefined = d.next;
      if (!d.constant) this.rt.pool.release(d.ptr, d.size * 4);
      Object.assign(d, { ptr: 0, live: false, derived: undefined, complex: undefined, strings: undefined, prev: undefined, next: undefined });
      d = next;
    }
    this.liveHead = undefined;
    this.liveIds = 0;
    this.rt.pool.trim();
    if (this.eventsLive) {
      this.eventsLive = false;
      this.rt.driver.eventDestroy(this.startEv);
      this.rt.driver.eventDestroy(this.endEv);
    }
  }
}

/** The 32 bits a one-element tensor holds on the device (float32 bits, or int32 for int32 and bool). */
function scalarBits(values: BackendValues, dtype: DataType): number {
  const arr = toDeviceArray(values, dtype, 1);
  return new Uint32Array(arr.buffer, arr.byteOffset, 1)[0]!;
}

function toDeviceArray(values: BackendValues, dtype: DataType, size: number): Float32Array | Int32Array {
  if (dtype === 'float32') {
    if (values instanceof Float32Array) return values;
    return Float32Array.from(values as ArrayLike<number>);
  }
  if (values instanceof Int32Array) return values;
  if (Array.isArray(values) || ArrayBuffer.isView(values)) {
    const out = new Int32Array(size);
    const src = values as ArrayLike<number>;
    for (let i = 0; i < size; i++) out[i] = dtype === 'bool' ? (src[i] ? 1 : 0) : src[i]!;
    return out;
  }
  throw new Error(`cuda: cannot upload values of dtype ${dtype}`);
}

/** complex64 and string tensors are made from their values (an uninitialised one has nothing to hold). */
function checkHostValues(values: BackendValues | null, dtype: DataType): void {
  if (values == null && dtype === 'complex64') throw new Error('not implemented on cuda: an uninitialised tensor with dtype complex64');
}
