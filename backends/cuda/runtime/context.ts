/**
 * The process-wide CUDA runtime: libraries, device 0's primary context, the compiler, the pool, the
 * launcher and the cuBLASLt handle. Opening it is what decides whether the backend is available.
 */
import { loadCudaLibrary, type LoadedLibrary } from '../ffi/load.ts';
import { CU_DEVICE_ATTRIBUTE, Driver, type Handle } from '../ffi/driver.ts';
import { Nvrtc } from '../ffi/nvrtc.ts';
import { CublasLt } from '../ffi/cublaslt.ts';
import { CudaUnavailableError } from '../ffi/errors.ts';
import { DevicePool } from './pool.ts';
import { KernelCompiler } from './compiler.ts';
import { Launcher } from './launcher.ts';

/** cuBLASLt workspace; 32 MiB is NVIDIA's recommendation for Hopper. */
const LT_WORKSPACE_BYTES = 32 << 20;

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
    const start = driver.eventCreate(), end = driver.eventCreate();
    this.lt = new CublasLt(libs.cublasLt!.lib, this.workspace, LT_WORKSPACE_BYTES, (f) => {
      driver.eventRecord(start);
      f();
      driver.eventRecord(end);
      driver.eventSynchronize(end);
      return driver.elapsedMs(start, end);
    });
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
      libraries: Object.fromEntries(Object.entries(libs).map(([k, v]) => [k, `${v.path} (${v.source})`])),
    };
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
