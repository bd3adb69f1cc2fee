/** Thin typed wrapper over the CUDA driver API (libcuda). Every non-zero CUresult throws CudaCallError. */
import koffi from 'koffi';
import type { KoffiLib } from './load.ts';
import { CudaCallError } from './errors.ts';

/** Opaque handles as koffi hands them back. */
export type Handle = unknown;
/** A device address. UVA addresses fit well inside 2^53. */
export type DevicePtr = number;

koffi.pointer('CUcontext', koffi.opaque());
koffi.pointer('CUmodule', koffi.opaque());
koffi.pointer('CUfunction', koffi.opaque());
koffi.pointer('CUevent', koffi.opaque());
koffi.pointer('CUstream', koffi.opaque());

export const CU_DEVICE_ATTRIBUTE = {
  MULTIPROCESSOR_COUNT: 16,
  MEMORY_CLOCK_RATE: 36,
  GLOBAL_MEMORY_BUS_WIDTH: 37,
  COMPUTE_CAPABILITY_MAJOR: 75,
  COMPUTE_CAPABILITY_MINOR: 76,
  L2_CACHE_SIZE: 38,
  MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: 97,
} as const;
const CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;

type Fn = (...args: unknown[]) => unknown;

export class Driver {
  private readonly f: Record<string, Fn> = {};
  private readonly nameOut: [string | null] = [null];
  private readonly u64Out: [number | bigint] = [0];
  private readonly handleOut: [Handle] = [null];
  private readonly intOut: [number] = [0];
  /** cuLaunchKernel in its own field: `f` holds ~35 functions, and a lookup in it costs on the hot path. */
  private readonly launchKernel: Fn;

  constructor(private readonly lib: KoffiLib) {
    const decl = (proto: string): void => {
      const name = /(\w+)\s*\(/.exec(proto)![1]!;
      this.f[name] = lib.func(proto) as Fn;
    };
    decl('int cuGetErrorName(int error, _Out_ const char **pStr)');
    decl('int cuGetErrorString(int error, _Out_ const char **pStr)');
    decl('int cuInit(unsigned int flags)');
    decl('int cuDriverGetVersion(_Out_ int *v)');
    decl('int cuDeviceGetCount(_Out_ int *n)');
    decl('int cuDeviceGet(_Out_ int *dev, int ordinal)');
    decl('int cuDeviceGetName(void *name, int len, int dev)');
    decl('int cuDeviceGetAttribute(_Out_ int *v, int attrib, int dev)');
    decl('int cuDeviceTotalMem_v2(_Out_ uint64_t *bytes, int dev)');
    decl('int cuDevicePrimaryCtxRetain(_Out_ CUcontext *ctx, int dev)');
    decl('int cuCtxSetCurrent(CUcontext ctx)');
    decl('int cuCtxSynchronize()');
    decl('int cuStreamSynchronize(uint64_t stream)');
    decl('int cuMemHostAlloc(_Out_ void **pp, uint64_t bytes, unsigned int flags)');
    decl('int cuMemHostGetDevicePointer_v2(_Out_ uint64_t *dptr, void *p, unsigned int flags)');
    decl('int cuMemFreeHost(void *p)');
    decl('int cuMemAlloc_v2(_Out_ uint64_t *dptr, uint64_t bytes)');
    decl('int cuMemFree_v2(uint64_t dptr)');
    decl('int cuMemGetInfo_v2(_Out_ uint64_t *free, _Out_ uint64_t *total)');
    decl('int cuMemcpyHtoD_v2(uint64_t dst, const void *src, uint64_t bytes)');
    decl('int cuMemcpyDtoH_v2(void *dst, uint64_t src, uint64_t bytes)');
    decl('int cuMemcpyDtoD_v2(uint64_t dst, uint64_t src, uint64_t bytes)');
    decl('int cuMemsetD32_v2(uint64_t dst, unsigned int value, uint64_t count)');
    decl('int cuModuleLoadData(_Out_ CUmodule *mod, const void *image)');
    decl('int cuModuleGetFunction(_Out_ CUfunction *fn, CUmodule mod, const char *name)');
    decl('int cuFuncSetAttribute(CUfunction fn, int attrib, int value)');
    // Handles and the parameter block as plain 64-bit addresses: koffi marshals numbers about twice as fast as
    // opaque pointer objects (0.25 vs 0.53 µs per call measured with a stub library), and launches are the hot path.
    decl('int cuLaunchKernel(uint64_t f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by, unsigned int bz, unsigned int smem, uint64_t stream, uint64_t params, uint64_t extra)');
    decl('int cuEventCreate(_Out_ CUevent *ev, unsigned int flags)');
    decl('int cuEventRecord(CUevent ev, CUstream stream)');
    decl('int cuEventSynchronize(CUevent ev)');
    decl('int cuEventQuery(CUevent ev)');
    decl('int cuEventDestroy_v2(CUevent ev)');
    this.launchKernel = this.f.cuLaunchKernel!;
    // cuEventElapsedTime_v2 exists from driver 12.8 on; the CUDA 13 header maps the name to it.
    try {
      decl('int cuEventElapsedTime_v2(_Out_ float *ms, CUevent start, CUevent end)');
      this.f.elapsed = this.f.cuEventElapsedTime_v2!;
    } catch {
      decl('int cuEventElapsedTime(_Out_ float *ms, CUevent start, CUevent end)');
      this.f.elapsed = this.f.cuEventElapsedTime!;
    }
  }

  /** Throws CudaCallError for a non-zero CUresult, with the driver's own name and text for it. */
  check(call: string, code: number): void {
    if (code === 0) return;
    let name = `CUDA_ERROR_${code}`;
    let text = '';
    if ((this.f.cuGetErrorName!(code, this.nameOut) as number) === 0 && this.nameOut[0]) name = this.nameOut[0];
    if ((this.f.cuGetErrorString!(code, this.nameOut) as number) === 0 && this.nameOut[0]) text = this.nameOut[0];
    throw new CudaCallError('cuda', call, code, name, text);
  }

  private call(name: string, ...args: unknown[]): void {
    this.check(name, this.f[name]!(...args) as number);
  }

  init(): void {
    this.call('cuInit', 0);
  }
  driverVersion(): number {
    this.call('cuDriverGetVersion', this.intOut);
    return this.intOut[0];
  }
  deviceCount(): number {
    this.call('cuDeviceGetCount', this.intOut);
    return this.intOut[0];
  }
  device(ordinal: number): number {
    this.call('cuDeviceGet', this.intOut, ordinal);
    return this.intOut[0];
  }
  deviceName(dev: number): string {
    const buf = Buffer.alloc(256);
    this.call('cuDeviceGetName', buf, buf.length, dev);
    return buf.toString('utf8', 0, buf.indexOf(0));
  }
  attribute(attrib: number, dev: number): number {
    this.call('cuDeviceGetAttribute', this.intOut, attrib, dev);
    return this.intOut[0];
  }
  totalMem(dev: number): number {
    this.call('cuDeviceTotalMem_v2', this.u64Out, dev);
    return Number(this.u64Out[0]);
  }
  primaryContext(dev: number): Handle {
    this.call('cuDevicePrimaryCtxRetain', this.handleOut, dev);
    return this.handleOut[0];
  }
  setCurrent(ctx: Handle): void {
    this.call('cuCtxSetCurrent', ctx);
  }
  synchronize(): void {
    this.call('cuCtxSynchronize');
  }
  /** Waits for the legacy default stream, the one every fusebench launch goes to. */
  streamSynchronize(): void {
    this.call('cuStreamSynchronize', 0);
  }
  /**
   * Page-locked host memory mapped into the device's address space: the host's view of it, and its device address.
   * A kernel reads host writes to it directly (a volatile load), with no copy queued on any stream.
   */
  mappedHostAlloc(bytes: number): { host: Handle; view: ArrayBuffer; device: DevicePtr } {
    const CU_MEMHOSTALLOC_PORTABLE = 0x01, CU_MEMHOSTALLOC_DEVICEMAP = 0x02;
    this.call('cuMemHostAlloc', this.handleOut, bytes, CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_DEVICEMAP);
    const host = this.handleOut[0];
    this.call('cuMemHostGetDevicePointer_v2', this.u64Out, host, 0);
    return { host, view: koffi.view(host, bytes), device: Number(this.u64Out[0]) };
  }
  freeHost(host: Handle): void {
    this.call('cuMemFreeHost', host);
  }
  /** Returns the raw CUresult instead of throwing, so the pool can retry after an out-of-memory. */
  tryMemAlloc(bytes: number): { code: number; ptr: DevicePtr } {
    const code = this.f.cuMemAlloc_v2!(this.u64Out, bytes) as number;
    return { code, ptr: code === 0 ? Number(this.u64Out[0]) : 0 };
  }
  memFree(ptr: DevicePtr): void {
    this.call('cuMemFree_v2', ptr);
  }
  memInfo(): { free: number; total: number } {
    const free: [number | bigint] = [0];
    const total: [number | bigint] = [0];
    this.call('cuMemGetInfo_v2', free, total);
    return { free: Number(free[0]), total: Number(total[0]) };
  }
  htod(dst: DevicePtr, src: ArrayBufferView, bytes: number): void {
    this.call('cuMemcpyHtoD_v2', dst, src, bytes);
  }
  dtoh(dst: ArrayBufferView, src: DevicePtr, bytes: number): void {
    this.call('cuMemcpyDtoH_v2', dst, src, bytes);
  }
  dtod(dst: DevicePtr, src: DevicePtr, bytes: number): void {
    this.call('cuMemcpyDtoD_v2', dst, src, bytes);
  }
  memsetD32(dst: DevicePtr, value: number, count: number): void {
    this.call('cuMemsetD32_v2', dst, value >>> 0, count);
  }
  loadModule(image: Uint8Array): Handle {
    this.call('cuModuleLoadData', this.handleOut, image);
    return this.handleOut[0];
  }
  getFunction(mod: Handle, name: string): Handle {
    this.check(`cuModuleGetFunction("${name}")`, this.f.cuModuleGetFunction!(this.handleOut, mod, name) as number);
    return this.handleOut[0];
  }
  setMaxDynamicShared(fn: Handle, bytes: number): void {
    this.call('cuFuncSetAttribute', fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes);
  }
  /** The address of a handle (CUfunction…) as a number, for the launch path. */
  address(h: Handle): number {
    return Number(koffi.address(h));
  }
  /** `fn` is a CUfunction's address and `params` the address of a native void*[] built by Launcher; `name` only serves the error message. */
  launch(fn: number, name: string, gx: number, gy: number, gz: number, bx: number, by: number, bz: number, smem: number, params: number): void {
    const code = this.launchKernel(fn, gx, gy, gz, bx, by, bz, smem, 0, params, 0) as number;
    if (code !== 0) this.check(`cuLaunchKernel(${name}, grid ${gx}x${gy}x${gz}, block ${bx}x${by}x${bz}, smem ${smem})`, code);
  }
  eventCreate(): Handle {
    this.call('cuEventCreate', this.handleOut, 0);
    return this.handleOut[0];
  }
  eventRecord(ev: Handle): void {
    this.call('cuEventRecord', ev, null);
  }
  eventSynchronize(ev: Handle): void {
    this.call('cuEventSynchronize', ev);
  }
  /** true when done; CUDA_ERROR_NOT_READY (600) means still running. */
  eventDone(ev: Handle): boolean {
    const code = this.f.cuEventQuery!(ev) as number;
    if (code === 600) return false;
    this.check('cuEventQuery', code);
    return true;
  }
  eventDestroy(ev: Handle): void {
    this.call('cuEventDestroy_v2', ev);
  }
  elapsedMs(start: Handle, end: Handle): number {
    const out: [number] = [0];
    this.check('cuEventElapsedTime', this.f.elapsed!(out, start, end) as number);
    return out[0];
  }
}
