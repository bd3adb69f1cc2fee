/**
 * The measured fallback: the long tail of kernels cuda does not implement natively runs on tfjs-backend-cpu.
 * Each call downloads its inputs (a device → host copy that waits for the stream), runs cpu's own kernel on a
 * private MathBackendCPU, uploads the outputs, and is counted (host_trips.ts) by kernel, so that the harness never
 * times a variant that hits it (harness/measure.ts refuses such a variant with the kernel's name) and
 * `fusebench backends` and docs/cuda.md can list these kernels.
 *
 * Only kernels whose results depend on values in a way a GPU cannot size ahead (ragged tensors, Unique, the sparse
 * reshapes, non-max suppression: tfjs-backend-webgpu reads those back too), that draw on a host canvas, complex FFTs,
 * and the string kernels are here; and any kernel given a string tensor (string tensors stay on the host:
 * withStringFallback wraps every cuda kernel).
 */
import { getKernel, type DataType, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu/dist/base';
import type { BackendValues } from '@tensorflow/tfjs-core/dist/types';
import type { CudaBackend } from './backend.ts';
import { countHostTrip } from './host_trips.ts';
import { FALLBACK_KERNELS, STRING_FALLBACK, STRING_SAFE_VIEWS } from './fallback_kernels.ts';

export { FALLBACK_KERNELS };

let cpu: MathBackendCPU | undefined;

type Inputs = Record<string, TensorInfo | TensorInfo[]>;

/** cpu's complex64 tensors hold their parts in complexTensorInfos, as its Complex kernel makes them. */
type CpuData = { values?: BackendValues; complexTensorInfos?: { real: TensorInfo; imag: TensorInfo } };

function toCpu(b: CudaBackend, t: TensorInfo): TensorInfo {
  if (t.dtype === 'complex64') {
    const { real, imag } = b.complexParts(t);
    const parts = [real, imag].map((p) => toCpu(b, p));
    for (const p of [real, imag]) b.disposeIntermediate(p);
    const out = getKernel('Complex', 'cpu')!.kernelFunc({ inputs: { real: parts[0]!, imag: parts[1]! } as never, attrs: {}, backend: cpu! }) as TensorInfo;
    for (const p of parts) cpu!.disposeData(p.dataId, true);
    return out;
  }
  const values = b.readSync(t.dataId) as BackendValues;
  return { dataId: cpu!.write(values, t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
}

function toCuda(b: CudaBackend, t: TensorInfo): TensorInfo {
  let out: TensorInfo;
  const parts = (cpu!.data.get(t.dataId) as CpuData | undefined)?.complexTensorInfos;
  if (t.dtype === 'complex64' && parts) {
    const up = (p: TensorInfo): TensorInfo => b.makeTensorInfo(t.shape, 'float32', cpu!.readSync(p.dataId) as BackendValues);
    out = b.makeComplex(up(parts.real), up(parts.imag), t.shape);
  } else {
    out = b.makeTensorInfo(t.shape, t.dtype as DataType, cpu!.readSync(t.dataId) as BackendValues);
  }
  cpu!.disposeData(t.dataId, true);
  return out;
}

/** Runs tfjs-backend-cpu's kernel `name` on a cuda call's inputs: download, run, upload, count. */
export function runOnCpu(name: string, b: CudaBackend, inputs: Inputs, attrs: NamedAttrMap | undefined, cause = `${name} (fallback: ran on tfjs-backend-cpu)`): TensorInfo | TensorInfo[] {
  const kernel = getKernel(name, 'cpu');
  if (!kernel) throw new Error(`cuda fallback: tfjs-backend-cpu has no ${name} kernel registered`);
  cpu ??= new MathBackendCPU();
  countHostTrip(cause);
  const copies: TensorInfo[] = [];
  const copy = (t: TensorInfo): TensorInfo => {
    const c = toCpu(b, t);
    copies.push(c);
    return c;
  };
  // Concat, Pack, AddN and Einsum take their inputs as one array; the others as named tensors (or arrays of them).
  let cpuInputs: Inputs | TensorInfo[];
  if (Array.isArray(inputs)) cpuInputs = (inputs as TensorInfo[]).map(copy);
  else {
    cpuInputs = {};
    for (const [key, value] of Object.entries(inputs)) {
      if (Array.isArray(value)) cpuInputs[key] = value.map(copy);
      else if (value) cpuInputs[key] = copy(value);
    }
  }
  try {
    const out = kernel.kernelFunc({ inputs: cpuInputs as never, attrs: attrs ?? {}, backend: cpu });
    return Array.isArray(out) ? out.map((t) => toCuda(b, t)) : toCuda(b, out);
  } finally {
    for (const c of copies) cpu.disposeData(c.dataId, true);
  }
}

export const fallbackConfigs: readonly KernelConfig[] = Object.keys(FALLBACK_KERNELS).map((kernelName) => ({
  kernelName,
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => runOnCpu(kernelName, backend as CudaBackend, inputs as unknown as Inputs, attrs),
}));

/** Whether a call takes or makes a string tensor. On every kernel's dispatch path: loops, no array or closure per call. */
function takesStrings(inputs: Inputs, attrs: NamedAttrMap | undefined): boolean {
  if (attrs !== undefined && attrs.dtype === 'string') return true;
  for (const key in inputs) {
    const v = inputs[key];
    if (Array.isArray(v)) {
      for (const t of v) if (t?.dtype === 'string') return true;
    } else if (v?.dtype === 'string') {
      return true;
    }
  }
  return false;
}

/** A cuda kernel that hands calls with string tensors to tfjs-backend-cpu's kernel of the same name (counted). */
export function withStringFallback(config: KernelConfig): KernelConfig {
  if (STRING_SAFE_VIEWS.has(config.kernelName)) return config;
  const native = config.kernelFunc;
  return {
    ...config,
    kernelFunc: (args) => {
      const inputs = args.inputs as unknown as Inputs;
      if (takesStrings(inputs, args.attrs)) return runOnCpu(config.kernelName, args.backend as CudaBackend, inputs, args.attrs, `${config.kernelName} (${STRING_FALLBACK})`);
      return native(args);
    },
  };
}
