/**
 * What fusebench's wasm kernels need from tfjs-backend-wasm 4.22.0, typed narrowly (the package's own types
 * pull in Emscripten's): tensor memory offsets on the module heap (`dataIdMap`, backend_wasm.ts), outputs
 * (`makeOutput`), and the module's `_FusedMatMul` export, the same C++ routine tfjs's own MatMul kernels call.
 *
 * Calling that routine on *views* (a block of rows of a tensor) works because the C++ side addresses tensors by
 * id through a table of (pointer, size) (backend.cc `register_tensor`): registering a temporary id for a
 * sub-range of an existing buffer and erasing it afterwards (`dispose_data` only erases the table entry and
 * runs disposal callbacks; it never frees memory) lets a kernel run the backend's own GEMM on one block at a
 * time and apply its epilogue while the block is in cache.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

interface WasmModuleLike {
  readonly HEAPU8: Uint8Array;
  cwrap(name: string, ret: null, args: string[]): (...args: Array<number | boolean | Uint8Array>) => void;
  readonly tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

interface WasmTensorData {
  readonly id: number;
  readonly memoryOffset: number;
  readonly shape: number[];
  readonly dtype: string;
}

export interface WasmBackendLike {
  readonly wasm: WasmModuleLike;
  readonly dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function asWasmBackend(backend: unknown, kernel: string): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  if (!b || !b.wasm || !b.dataIdMap || typeof b.makeOutput !== 'function' || typeof b.wasm.cwrap !== 'function') {
    throw new Error(`${kernel}: expected the tfjs-backend-wasm backend object (is this kernel registered for the wrong backend?)`);
  }
  return b as WasmBackendLike;
}

export function tensorData(w: WasmBackendLike, t: TensorInfo, kernel: string): WasmTensorData {
  const d = w.dataIdMap.get(t.dataId);
  if (!d) throw new Error(`${kernel}: tensor is not on the wasm backend`);
  return d;
}

/**
 * A Float32Array over the whole module heap. Take it *after* every allocation: growing wasm memory replaces the
 * buffer and detaches older views.
 */
export function heapF32(w: WasmBackendLike): Float32Array {
  const buf = w.wasm.HEAPU8.buffer;
  return new Float32Array(buf, 0, buf.byteLength >>> 2);
}

/**
 * Runs `body`, which fills `out` using the `scratch` tensors: the scratch is always freed, and `out` too when
 * `body` throws, so a failed call leaks nothing.
 */
export function withScratch(w: WasmBackendLike, out: TensorInfo, scratch: readonly TensorInfo[], body: () => void): TensorInfo {
  try {
    body();
  } catch (e) {
    w.disposeData(out.dataId, true);
    throw e;
  } finally {
    for (const t of scratch) w.disposeData(t.dataId, true);
  }
  return out;
}

/** A row-major matrix on the heap: a registered tensor (`id`) or a view into one (registered on demand). */
export interface HeapMatrix {
  readonly byteOffset: number;
  readonly rows: number;
  readonly cols: number;
  /** Id of a tensor covering exactly this matrix; views leave it undefined. */
  readonly id?: number;
}

type FusedMatMulFn = (...args: Array<number | boolean | Uint8Array>) => void;
const fusedMatMulByModule = new WeakMap<WasmModuleLike, FusedMatMulFn>();

function fusedMatMulFn(w: WasmBackendLike): FusedMatMulFn {
  let fn = fusedMatMulByModule.get(w.wasm);
  if (!fn) {
    // Same signature tfjs's own _FusedMatMul kernel wraps (tfjs-backend-wasm dist/kernels/_FusedMatMul.js setup()).
    fn = w.wasm.cwrap('_FusedMatMul', null, [
      'number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number',
    ]);
    fusedMatMulByModule.set(w.wasm, fn);
  }
  return fn;
}

function nextId(w: WasmBackendLike): number {
  // BackendWasm hands out tensor ids from this counter (private in its typings, public at runtime).
  const counter = w as unknown as { dataIdNextNumber: number };
  return counter.dataIdNextNumber++;
}

function shapeBytes(shape: readonly number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/** FusableActivation codes of tfjs-backend-wasm (dist/kernels/types.js). */
export const WASM_ACT_LINEAR = 0;
export const WASM_ACT_RELU = 1;

/**
 * out = a · (transposeB ? bᵀ : b) (+ bias, + relu clamp) through the backend's `_FusedMatMul`, on matrices that may
 * be views. With transposeB false this is XNNPACK's fully-connected operator (cached per weights id, so pass
 * whole weight tensors with their `id`); with transposeB true it is the backend's scalar blocked loop
 * (batch_mat_mul_impl.cc `slow_batch_matmul`), the same one its batched MatMul runs.
 * Never pass a bias with transposeB: that path adds it wrongly in 4.22.0 (see test/findings).
 */
export function heapMatMul(
  w: WasmBackendLike, a: HeapMatrix, b: HeapMatrix, out: HeapMatrix, transposeB: boolean, biasId = 0, activation = WASM_ACT_LINEAR,
): void {
  const inner = transposeB ? b.cols : b.rows;
  const right = transposeB ? b.rows : b.cols;
  if (a.cols !== inner || out.rows !== a.rows || out.cols !== right) {
    throw new Error(`heapMatMul: shapes do not chain: a ${a.rows}×${a.cols}, b ${b.rows}×${b.cols}${transposeB ? 'ᵀ' : ''}, out ${out.rows}×${out.cols}`);
  }
  if (transposeB && biasId !== 0) throw new Error('heapMatMul: a bias with transposeB takes the wasm path that adds it wrongly');
  const temps: number[] = [];
  const idOf = (m: HeapMatrix): number => {
    if (m.id !== undefined) return m.id;
    const id = nextId(w);
    w.wasm.tfjs.registerTensor(id, m.rows * m.cols, m.byteOffset);
    temps.push(id);
    return id;
  };
  try {
    const aId = idOf(a);
    const bId = idOf(b);
    const outId = idOf(out);
    fusedMatMulFn(w)(
      aId, shapeBytes([1, a.rows, a.cols]), 3, bId, shapeBytes([1, b.rows, b.cols]), 3,
      false, transposeB, activation, biasId, 0, 0, outId,
    );
  } finally {
    for (const id of temps) w.wasm.tfjs.disposeData(id);
  }
}

type SoftmaxFn = (xId: number, outId: number, channels: number, batch: number) => void;
const softmaxByModule = new WeakMap<WasmModuleLike, SoftmaxFn>();

/**
 * In-place softmax over `rows` rows of `cols` floats at `byteOffset`, by the backend's own Softmax export
 * (XNNPACK's softmax operator, cached per row length; src/cc/kernels/Softmax.cc), so the fused kernels' softmax
 * is the same code as the unfused tf.softmax. XNNPACK reads and writes each element at the same index in each
 * of its passes, so input and output may be the same buffer.
 */
export function heapSoftmaxInPlace(w: WasmBackendLike, byteOffset: number, rows: number, cols: number): void {
  let fn = softmaxByModule.get(w.wasm);
  if (!fn) {
    fn = w.wasm.cwrap('Softmax', null, ['number', 'number', 'number', 'number']) as unknown as SoftmaxFn;
    softmaxByModule.set(w.wasm, fn);
  }
  const id = nextId(w);
  w.wasm.tfjs.registerTensor(id, rows * cols, byteOffset);
  try {
    fn(id, id, cols, rows);
  } finally {
    w.wasm.tfjs.disposeData(id);
  }
}
