/**
 * The cuda backend over a stub driver, for measuring and testing its host side on a machine without a GPU.
 *
 * A stub libcuda (built here with the C compiler) exports every function the Driver declares, each returning 0
 * (CUDA_SUCCESS) at once, so the Driver's koffi calls are real native calls: what is left out is exactly the
 * driver's own work (cuLaunchKernel's ~4.6–6.9 µs on the H200 hosts). The pool, compiler, launcher and
 * backend are the real ones; device addresses come from a bump allocator; NVRTC is replaced by a function that
 * returns an empty image (nothing is loaded), and launches are counted.
 */
import koffi from 'koffi';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Driver } from '../backends/cuda/ffi/driver.ts';
import type { Nvrtc } from '../backends/cuda/ffi/nvrtc.ts';
import { DevicePool } from '../backends/cuda/runtime/pool.ts';
import { KernelCompiler } from '../backends/cuda/runtime/compiler.ts';
import { Launcher } from '../backends/cuda/runtime/launcher.ts';
import { CudaBackend } from '../backends/cuda/backend.ts';
import type { CudaRuntime } from '../backends/cuda/runtime/context.ts';

/** Every symbol backends/cuda/ffi/driver.ts declares. */
const DRIVER_SYMBOLS = [
  'cuGetErrorName', 'cuGetErrorString', 'cuInit', 'cuDriverGetVersion', 'cuDeviceGetCount', 'cuDeviceGet', 'cuDeviceGetName',
  'cuDeviceGetAttribute', 'cuDeviceTotalMem_v2', 'cuDevicePrimaryCtxRetain', 'cuCtxSetCurrent', 'cuCtxSynchronize',
  'cuStreamSynchronize', 'cuMemHostAlloc', 'cuMemHostGetDevicePointer_v2', 'cuMemFreeHost', 'cuMemAlloc_v2', 'cuMemFree_v2',
  'cuMemGetInfo_v2', 'cuMemcpyHtoD_v2', 'cuMemcpyDtoH_v2', 'cuMemcpyDtoD_v2', 'cuMemsetD32_v2', 'cuModuleLoadData',
  'cuModuleGetFunction', 'cuFuncSetAttribute', 'cuLaunchKernel', 'cuEventCreate', 'cuEventRecord', 'cuEventSynchronize',
  'cuEventQuery', 'cuEventDestroy_v2', 'cuEventElapsedTime_v2', 'cuEventElapsedTime',
];

const scratch: string[] = [];
/** Removes the stub's temporary folders (also done at process exit, which test workers may skip). */
export function removeStubFiles(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', removeStubFiles);

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Builds the stub libcuda in a temporary folder and returns its path; throws when there is no C compiler. */
export function buildStubLibcuda(): string {
  const dir = scratchDir('fusebench-stub-cuda-');
  const src = join(dir, 'stub_cuda.c');
  const lib = join(dir, 'libcuda_stub.so');
  // Declared without parameters: a C caller may pass any arguments (the System V ABI leaves them to the caller).
  writeFileSync(src, DRIVER_SYMBOLS.map((s) => `int ${s}() { return 0; }`).join('\n') + '\n');
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-shared', '-fPIC', src, '-o', lib], { stdio: 'pipe' });
  return lib;
}

export interface StubCuda {
  readonly backend: CudaBackend;
  readonly rt: CudaRuntime;
  /** Launches so far (the stub's cuLaunchKernel is native and cannot count, so Driver.launch is wrapped). */
  launches(): number;
}

/** A CudaBackend over the stub driver; `countLaunches` wraps Driver.launch in a counter (a JS call more per launch). */
export function stubCudaBackend(libPath: string, countLaunches = false): StubCuda {
  const driver = new Driver(koffi.load(libPath));
  let next = 0x7f0000000000;
  let fnAddr = 0x1000;
  // The stub writes no out-parameters: hand out plausible handles and addresses instead.
  driver.tryMemAlloc = (bytes: number) => {
    const ptr = next;
    next += Math.ceil(bytes / 512) * 512;
    return { code: 0, ptr };
  };
  driver.loadModule = () => ({});
  driver.getFunction = () => ({});
  driver.address = () => (fnAddr += 64);
  let launches = 0;
  if (countLaunches) {
    const launch = driver.launch.bind(driver);
    driver.launch = (...args: Parameters<Driver['launch']>) => {
      launches++;
      launch(...args);
    };
  }
  const nvrtc = { compile: () => new Uint8Array(0), version: () => 'stub' } as unknown as Nvrtc;
  const cacheDir = scratchDir('fusebench-stub-cubins-');
  const pool = new DevicePool({ alloc: (b) => driver.tryMemAlloc(b).ptr, free: () => {} });
  const compiler = new KernelCompiler(driver, nvrtc, 'stub', 'sm_90', cacheDir);
  const launcher = new Launcher(driver);
  const constants = new Map<number, number>();
  const rt = {
    driver,
    nvrtc,
    pool,
    compiler,
    launcher,
    constant(bits: number): number {
      let p = constants.get(bits);
      if (p === undefined) constants.set(bits, (p = driver.tryMemAlloc(4).ptr));
      return p;
    },
  } as unknown as CudaRuntime;
  return { backend: new CudaBackend(rt), rt, launches: () => launches };
}

/** Registers the stub as tfjs's 'cuda' backend with the backend's own kernels and selects it. */
export async function activateStubCuda(stub: StubCuda): Promise<void> {
  const { cudaKernelConfigs } = await import('../backends/cuda/register.ts');
  const { withStringFallback } = await import('../backends/cuda/fallback.ts');
  tf.registerBackend('cuda', () => stub.backend, 3);
  // As registerCudaBackend registers them (each kernel wrapped to hand string tensors to the fallback), so the
  // dispatch measured here is the real one.
  for (const c of cudaKernelConfigs) if (!tf.getKernel(c.kernelName, 'cuda')) tf.registerKernel(withStringFallback(c));
  if (!(await tf.setBackend('cuda'))) throw new Error('stub cuda: setBackend failed');
}
