/**
 * The process-wide CUDA runtime: libraries, device 0's primary context, the compiler, the pool, the
 * launcher and the cuBLASLt handle. Opening it is what decides whether the backend is available.
 */
import { loadCudaLibrary, type LoadedLibrary } from '../ffi/load.ts';
import { CU_DEVICE_ATTRIBUTE, Driver, type Handle } from '../ffi/driver.ts';
import { Nvrtc } from '../ffi/nvrtc.ts';
import { CublasLt } from '../ffi/cublaslt.ts';
import { Cudnn } from '../ffi/cudnn.ts';
import { CudaUnavailableError } from '../ffi/errors.ts';
import { DevicePool } from './pool.ts';
import { KernelCompiler } from './compiler.ts';
import { Launcher } from './launcher.ts';
import { StreamHold } from './stream-hold.ts';

/** cuBLASLt workspace; 32 MiB is NVIDIA's recommendation for Hopper. */
const LT_WORKSPACE_BYTES = 32 << 20;
/** Distinct scalar constants kept on the device (4 bytes each). */
const CONSTANT_SLOTS = 16384;

export interface DeviceFacts {
  readonly name: string;
  readonly ordinal: number;
  readonly computeCapability: string;
  readonly smCount: number;
  readonly totalMemBytes: number;
  readonly driverVersion: string;
  readonly nvrtcVersion: string;
  readonly cublasLtVersion: number;
  readonly maxSharedOptin: number;
  readonly l2Bytes: number;
  readonly libraries: Readonly<Record<string, string>>;
}

export class CudaRuntime {
  private static instance: CudaRuntime | undefined;
  private static failure: Error | undefined;

  readonly pool: DevicePool;
  readonly compiler: KernelCompiler;
  readonly launcher: Launcher;
  readonly lt: CublasLt;
  readonly facts: DeviceFacts;
  private readonly workspace: number;
  private readonly timerStart: Handle;
  private readonly timerEnd: Handle;
  /** Scalar constants by bit pattern: slots of one small device allocation, filled once each. */
  private readonly constants = new Map<number, number>();
  private constantSlab = 0;
  private holdInstance: StreamHold | undefined;
  /** A device buffer of 2 × L2, written to evict L2 (allocated on the first cold sample). */
  private evictBuffer = 0;
  private evictStamp = 0;
  /** cuDNN is opened on the first convolution (its libraries are large); undefined until then. */
  private cudnnState: { readonly lib: Cudnn | null; readonly status: string } | undefined;

  private constructor(readonly driver: Driver, readonly nvrtc: Nvrtc, libs: Record<string, LoadedLibrary>, ordinal: number) {
    driver.init();
    const count = driver.deviceCount();
    if (count === 0) throw new CudaUnavailableError('libcuda loaded but reports no CUDA device');
    if (ordinal >= count) throw new CudaUnavailableError(`FUSEBENCH_CUDA_DEVICE=${ordinal} but only ${count} device(s)`);
    const dev = driver.device(ordinal);
    const ctx: Handle = driver.primaryContext(dev);
    driver.setCurrent(ctx);
    const major = driver.attribute(CU_DEVICE_ATTRIBUTE.COMPUTE_CAPABILITY_MAJOR, dev);
    const minor = driver.attribute(CU_DEVICE_ATTRIBUTE.COMPUTE_CAPABILITY_MINOR, dev);
    const dv = driver.driverVersion();
    const nvrtcVersion = nvrtc.version();
    this.pool = new DevicePool({
      alloc: (bytes) => {
        const r = driver.tryMemAlloc(bytes);
        if (r.code === 2) return 0; // CUDA_ERROR_OUT_OF_MEMORY: let the pool trim and retry
        driver.check(`cuMemAlloc(${bytes})`, r.code);
        return r.ptr;
      },
      free: (p) => driver.memFree(p),
    });
    const ws = driver.tryMemAlloc(LT_WORKSPACE_BYTES);
    driver.check('cuMemAlloc(cuBLASLt workspace)', ws.code);
    this.workspace = ws.ptr;
    this.timerStart = driver.eventCreate();
    this.timerEnd = driver.eventCreate();
    this.lt = new CublasLt(libs.cublasLt!.lib, this.workspace, LT_WORKSPACE_BYTES, (f) => this.timeDevice(f));
    this.compiler = new KernelCompiler(driver, nvrtc, nvrtcVersion, `sm_${major}${minor}`);
    this.launcher = new Launcher(driver);
    this.facts = {
      name: driver.deviceName(dev),
      ordinal,
      computeCapability: `${major}.${minor}`,
      smCount: driver.attribute(CU_DEVICE_ATTRIBUTE.MULTIPROCESSOR_COUNT, dev),
      totalMemBytes: driver.totalMem(dev),
      driverVersion: `${Math.floor(dv / 1000)}.${(dv % 1000) / 10}`,
      nvrtcVersion,
      cublasLtVersion: this.lt.version(),
      maxSharedOptin: driver.attribute(CU_DEVICE_ATTRIBUTE.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, dev),
      l2Bytes: driver.attribute(CU_DEVICE_ATTRIBUTE.L2_CACHE_SIZE, dev),
      libraries: Object.fromEntries(Object.entries(libs).map(([k, v]) => [k, `${v.path} (${v.source})`])),
    };
  }

  /**
   * The device address of a 4-byte slot holding `bits`, uploaded on first use; 0 once the slab is full (the
   * caller then allocates as usual). The slab (64 KiB) is outside the pool, so memory() does not count it.
   */
  constant(bits: number): number {
    const hit = this.constants.get(bits);
    if (hit !== undefined) return hit;
    if (this.constants.size >= CONSTANT_SLOTS) return 0;
    if (this.constantSlab === 0) {
      const r = this.driver.tryMemAlloc(CONSTANT_SLOTS * 4);
      this.driver.check('cuMemAlloc(constant slab)', r.code);
      this.constantSlab = r.ptr;
    }
    const ptr = this.constantSlab + this.constants.size * 4;
    this.driver.htod(ptr, new Uint32Array([bits]), 4);
    this.constants.set(bits, ptr);
    return ptr;
  }

  /** Holds the stream while a sequence is queued, for device time with no host gaps (see stream-hold.ts). */
  get hold(): StreamHold {
    this.holdInstance ??= new StreamHold(this.driver, this.compiler, this.launcher);
    return this.holdInstance;
  }

  /** Bytes the L2 eviction writes: twice the L2, as Triton's do_bench and nvbench's cold mode do. */
  get evictionBytes(): number {
    return 2 * Math.max(this.facts.l2Bytes, 4 << 20);
  }

  /** Queues a write of evictionBytes on the stream, so the next kernel finds nothing of its inputs in L2. */
  evictL2(): void {
    if (this.evictBuffer === 0) {
      const r = this.driver.tryMemAlloc(this.evictionBytes);
      this.driver.check(`cuMemAlloc(${this.evictionBytes}, L2 eviction buffer)`, r.code);
      this.evictBuffer = r.ptr;
    }
    this.driver.memsetD32(this.evictBuffer, ++this.evictStamp, this.evictionBytes / 4);
  }

  /**
   * Device milliseconds of what `f` launches, with the stream held until it is all queued (stream-hold.ts), so
   * host time between launches is not in it: what autotuning must compare (cuBLASLt candidates, cuDNN vs
   * im2col), since with plain events a small GEMM's figure is mostly cublasLtMatmul's host work. Falls back to
   * plain events when the hold timed out (`f` blocked on the stream).
   */
  timeDevice(f: () => void): number {
    return this.hold.time(f) ?? this.timeGpu(f);
  }

  /** GPU milliseconds between CUDA events recorded before and after `f` on the default stream (waits for the end event). */
  timeGpu(f: () => void): number {
    this.driver.eventRecord(this.timerStart);
    f();
    this.driver.eventRecord(this.timerEnd);
    this.driver.eventSynchronize(this.timerEnd);
    return this.driver.elapsedMs(this.timerStart, this.timerEnd);
  }

  /**
   * cuDNN, opened on first use (found like the other libraries), or null with the reason in cudnnStatus().
   * FUSEBENCH_CUDA_CONV=im2col keeps it closed.
   */
  cudnn(): Cudnn | null {
    if (!this.cudnnState) {
      if (process.env.FUSEBENCH_CUDA_CONV === 'im2col') return null;
      try {
        const l = loadCudaLibrary('cudnn');
        const lib = new Cudnn(l.lib, { acquire: (b) => this.pool.acquire(b), release: (p, b) => this.pool.release(p, b) });
        this.cudnnState = { lib, status: `cuDNN ${lib.versionString()} (${l.path}, ${l.source})` };
      } catch (e) {
        this.cudnnState = { lib: null, status: `cuDNN unavailable: ${(e as Error).message.split('\n')[0]}` };
      }
    }
    return this.cudnnState.lib;
  }

  /** What cudnn() found, or that no convolution has asked yet. */
  cudnnStatus(): string {
    if (process.env.FUSEBENCH_CUDA_CONV === 'im2col' && !this.cudnnState) return 'cuDNN not used (FUSEBENCH_CUDA_CONV=im2col)';
    return this.cudnnState?.status ?? 'cuDNN not opened yet (opened on the first convolution)';
  }

  /** Opens the runtime once per process; a failure is remembered and rethrown with the same reason. */
  static open(): CudaRuntime {
    if (CudaRuntime.instance) return CudaRuntime.instance;
    if (CudaRuntime.failure) throw CudaRuntime.failure;
    try {
      const libs: Record<string, LoadedLibrary> = {};
      libs.cuda = loadCudaLibrary('cuda');
      libs.nvrtc = loadCudaLibrary('nvrtc');
      libs.cublasLt = loadCudaLibrary('cublasLt');
      const ordinal = Number(process.env.FUSEBENCH_CUDA_DEVICE ?? 0);
      CudaRuntime.instance = new CudaRuntime(new Driver(libs.cuda.lib), new Nvrtc(libs.nvrtc.lib), libs, ordinal);
      return CudaRuntime.instance;
    } catch (e) {
      CudaRuntime.failure = e as Error;
      throw e;
    }
  }
}
