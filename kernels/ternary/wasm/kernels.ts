/**
 * The wasm implementations: generated WebAssembly SIMD functions (wasm/codegen.ts) instantiated against
 * tfjs-backend-wasm's own memory, so they read and write tensors in place on its heap like its C++ kernels.
 */
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KERNEL_INPUTS, TERNARY_KERNEL_NAMES, variantFor, type TernaryKernelName } from '../spec.ts';
import { FUSEBENCH_COPY } from '../../names.ts';
import { checkInputs, checkTrits, shouldValidate } from '../validate.ts';
import { REVERSE_SUFFIX, ternaryWasmModuleBytes } from './codegen.ts';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use (public members of the class in 4.22). */
interface WasmBackendLike {
  readonly wasm: { readonly asm?: { readonly memory?: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Int32Array | Float32Array | Uint8Array;
}

type WasmFn = (...args: number[]) => void;
const instances = new WeakMap<WebAssembly.Memory, Record<string, WasmFn>>();
let moduleCache: WebAssembly.Module | undefined;

function exportsFor(backend: WasmBackendLike): Record<string, WasmFn> {
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error('ternary wasm kernels: cannot find tfjs-backend-wasm\'s memory (backend.wasm.asm.memory); this tfjs-backend-wasm version is not supported');
  }
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) {
    throw new Error('ternary wasm kernels: the threaded tfjs-backend-wasm build (shared memory) is not supported; they need the non-threaded SIMD build');
  }
  let fns = instances.get(memory);
  if (!fns) {
    moduleCache ??= new WebAssembly.Module(ternaryWasmModuleBytes());
    fns = new WebAssembly.Instance(moduleCache, { env: { memory } }).exports as unknown as Record<string, WasmFn>;
    warmUp(backend, fns);
    instances.set(memory, fns);
  }
  return fns;
}

/**
 * V8 first runs wasm functions in its baseline compiler (Liftoff) and moves hot ones to the optimising one
 * later. Running every function a little at registration gets that done before anything is measured, so a
 * benchmark's warm-up calls do not decide which of two kernels happens to run baseline code.
 */
function warmUp(backend: WasmBackendLike, fns: Record<string, WasmFn>): void {
  const n = 16384;
  const ptr = backend.wasm._malloc(4 * n * 4) >>> 0;
  try {
    new Int32Array(memoryOf(backend).buffer, ptr, 4 * n).fill(0);
    for (let rep = 0; rep < 40; rep++) {
      for (const [name, fn] of Object.entries(fns)) {
        const arity = fn.length;
        const ptrs = Array.from({ length: arity - 1 }, (_, i) => ptr + 4 * n * i);
        if (name.startsWith(FUSEBENCH_COPY)) fn(ptr, ptr + 4 * n, n);
        else fn(...ptrs, n);
      }
    }
  } finally {
    backend.wasm._free(ptr);
  }
}

function memoryOf(backend: WasmBackendLike): WebAssembly.Memory {
  return backend.wasm.asm!.memory!;
}

function offsetOf(backend: WasmBackendLike, t: TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error('ternary wasm kernels: tensor data is not on the wasm backend');
  return entry.memoryOffset;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** How far (bytes) a streaming loop's loads may run ahead of its stores; see `runBackwards`. */
const ALIAS_WINDOW = 1024;

/**
 * 4K aliasing: on x86, a load whose address matches a pending store's in the low 12 bits waits for it. A loop
 * whose output sits a little past an input modulo 4 KiB therefore stalls on nearly every load when run front
 * to back (measured here: a 384 KiB memmove 6–10× slower), but not when run back to front, and vice versa.
 * The allocator decides where the output lands, so each call picks the direction with fewer such inputs.
 */
export function runBackwards(inputOffsets: readonly number[], outputOffset: number): boolean {
  let forwardBad = 0;
  let backwardBad = 0;
  for (const inp of inputOffsets) {
    const d = (outputOffset - inp) & 4095;
    if (d > 0 && d < ALIAS_WINDOW) forwardBad++;
    else if (d > 4096 - ALIAS_WINDOW) backwardBad++;
  }
  return forwardBad > backwardBad;
}

export function wasmKernelFunc(kernel: TernaryKernelName): KernelFunc {
  const names = KERNEL_INPUTS[kernel];
  return ({ inputs, backend, attrs }) => {
    const wb = backend as unknown as WasmBackendLike;
    const infos = names.map((n) => inputs[n] as TensorInfo | undefined);
    checkInputs(kernel, names, infos);
    const variant = variantFor(kernel, attrs as Record<string, unknown>);
    if (shouldValidate(attrs as Record<string, unknown>)) {
      infos.forEach((t, i) => checkTrits(wb.typedArrayFromHeap(t!) as Int32Array, `${kernel}(${variant.attrsText})`, names[i]));
    }
    const fns = exportsFor(wb);
    const shape = [...infos[0]!.shape];
    const out = wb.makeOutput(shape, 'int32');
    const n = sizeOf(shape);
    if (n > 0) {
      const ins = infos.map((t) => offsetOf(wb, t!));
      const o = offsetOf(wb, out);
      fns[runBackwards(ins, o) ? `${variant.id}${REVERSE_SUFFIX}` : variant.id](...ins, o, n);
    }
    return out;
  };
}

const copyKernelFunc: KernelFunc = ({ inputs, backend }) => {
  const wb = backend as unknown as WasmBackendLike;
  const x = inputs.x as TensorInfo;
  const fns = exportsFor(wb);
  const out = wb.makeOutput([...x.shape], x.dtype);
  const n = sizeOf(x.shape);
  if (n > 0) {
    const [src, dst] = [offsetOf(wb, x), offsetOf(wb, out)];
    // memory.copy (the engine's memmove) front to back, unless that direction would alias: then the generated loop back to front.
    fns[runBackwards([src], dst) ? `${FUSEBENCH_COPY}${REVERSE_SUFFIX}` : FUSEBENCH_COPY](src, dst, n);
  }
  return out;
};

/** The family's four kernels and the copy yardstick on this backend (listed in kernels/register_<backend>.ts). */
export const ternaryWasmConfigs: KernelConfig[] = [
  ...TERNARY_KERNEL_NAMES.map((k) => ({ kernelName: k, backendName: 'wasm', kernelFunc: wasmKernelFunc(k) })),
  { kernelName: FUSEBENCH_COPY, backendName: 'wasm', kernelFunc: copyKernelFunc },
];
