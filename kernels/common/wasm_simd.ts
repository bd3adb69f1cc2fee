/**
 * Small WebAssembly SIMD functions generated at load time and instantiated against tfjs-backend-wasm's own
 * memory, so fusebench's elementwise kernels run in place on its heap at the same vector width as its C++
 * kernels (a JavaScript loop would compare scalar JS with SIMD wasm, not fused with unfused).
 * Built with common/wasm_encoder.ts. Params are i32 byte offsets and counts (layer_norm also takes an f32 epsilon).
 */
import { encodeModule, F32, I32, i32Params, loopWhileBelow, memarg, op, s32, simdOp, V128, type WasmFunction } from './wasm_encoder.ts';
import { gemmFunction } from './wasm_gemm.ts';

/** v128.const of one float32 in all four lanes. */
function splatConst(value: number): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let lane = 0; lane < 4; lane++) view.setFloat32(4 * lane, value, true);
  return [...simdOp.v128Const, ...bytes];
}

/** v128.const of one 32-bit pattern in all four lanes. */
function splatBits(bits: number): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let lane = 0; lane < 4; lane++) view.setUint32(4 * lane, bits >>> 0, true);
  return [...simdOp.v128Const, ...bytes];
}

/**
 * exp of the f32x4 on the stack, leaving exp on the stack (uses v128 locals x, n, r): x clamped to
 * [−87.3, 88.3] (so 2ⁿ stays a normal float), n = round(x·log₂e), r = x − n·ln2 (Cody–Waite split),
 * exp(r) by its degree-6 Taylor polynomial (|r| ≤ ln2/2, relative error < 2e-7), times 2ⁿ built in the
 * exponent bits.
 */
function expF32x4(x: number, n: number, r: number): number[] {
  const get = (l: number): number[] => [op.localGet, l];
  const horner = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 0.5, 1, 1];
  const poly: number[] = [...splatConst(horner[0])];
  for (const c of horner.slice(1)) poly.push(...get(r), ...simdOp.f32x4Mul, ...splatConst(c), ...simdOp.f32x4Add);
  return [
    ...splatConst(-87.3), ...simdOp.f32x4Max, ...splatConst(88.3), ...simdOp.f32x4Min, op.localTee, x,
    ...splatConst(Math.LOG2E), ...simdOp.f32x4Mul, ...simdOp.f32x4Nearest, op.localSet, n,
    ...get(x), ...get(n), ...splatConst(0.693145751953125), ...simdOp.f32x4Mul, ...simdOp.f32x4Sub,
    ...get(n), ...splatConst(1.428606765330187e-6), ...simdOp.f32x4Mul, ...simdOp.f32x4Sub, op.localSet, r,
    ...poly,
    ...get(n), ...simdOp.i32x4TruncSatF32x4S, op.i32Const, ...s32(127), ...simdOp.i32x4Splat, ...simdOp.i32x4Add, op.i32Const, 23, ...simdOp.i32x4Shl,
    ...simdOp.f32x4Mul,
  ];
}

/**
 * GELU of the f32x4 in local v, on the stack: 0.5·v·(1 + erf(v/√2)), erf by Abramowitz–Stegun 7.1.26 (the
 * approximation tfjs's Erf kernel and the cpu kernels use), sign restored from the argument.
 */
function geluF32x4(v: number, z: number, t: number, x: number, n: number, r: number): number[] {
  const get = (l: number): number[] => [op.localGet, l];
  const a = [1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592];
  const poly: number[] = [...splatConst(a[0])];
  for (const c of a.slice(1)) poly.push(...get(t), ...simdOp.f32x4Mul, ...splatConst(c), ...simdOp.f32x4Add);
  poly.push(...get(t), ...simdOp.f32x4Mul);
  return [
    ...get(v), ...splatConst(Math.SQRT1_2), ...simdOp.f32x4Mul, op.localSet, z,
    ...splatConst(1), ...splatConst(1), ...splatConst(0.3275911), ...get(z), ...simdOp.f32x4Abs, ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...simdOp.f32x4Div, op.localSet, t,
    ...splatConst(1), ...poly,
    ...get(z), ...get(z), ...simdOp.f32x4Mul, ...simdOp.f32x4Neg, ...expF32x4(x, n, r),
    ...simdOp.f32x4Mul, ...simdOp.f32x4Sub, // |erf| = 1 − poly·exp(−z²) ≥ 0
    ...get(z), ...splatBits(0x80000000), ...simdOp.v128And, ...simdOp.v128Or, // erf with the sign of z
    ...splatConst(1), ...simdOp.f32x4Add, ...get(v), ...simdOp.f32x4Mul, ...splatConst(0.5), ...simdOp.f32x4Mul,
  ];
}

/** SiLU of the f32x4 in local v, on the stack: v / (1 + exp(−v)). */
function siluF32x4(v: number, x: number, n: number, r: number): number[] {
  return [op.localGet, v, op.localGet, v, ...simdOp.f32x4Neg, ...expF32x4(x, n, r), ...splatConst(1), ...simdOp.f32x4Add, ...simdOp.f32x4Div];
}

/**
 * `<name>(ptr, n)`: data[ptr .. ptr + 4n) = act(data) in place; 4 lanes at a time, then the n mod 4 tail one
 * lane at a time through the same code (v128.load32_zero / v128.store32_lane).
 */
function activationFn(name: 'gelu' | 'silu'): WasmFunction {
  const [ptr, n, i, end] = [0, 1, 2, 3];
  const [v, z, t, x, e, r] = [4, 5, 6, 7, 8, 9];
  const value = name === 'gelu' ? geluF32x4(v, z, t, x, e, r) : siluF32x4(v, x, e, r);
  const at = [op.localGet, ptr, op.localGet, i, op.i32Add];
  const vecBody = [...at, ...at, ...simdOp.load, ...memarg(2), op.localSet, v, ...value, ...simdOp.store, ...memarg(2)];
  const laneBody = [...at, ...at, ...simdOp.load32Zero, ...memarg(2), op.localSet, v, ...value, ...simdOp.store32Lane, ...memarg(2), 0];
  const body = [
    op.localGet, n, op.i32Const, ...s32(-4), op.i32And, op.i32Const, 2, op.i32Shl, op.localSet, end,
    ...loopWhileBelow(i, end, 16, vecBody),
    op.localGet, n, op.i32Const, 2, op.i32Shl, op.localSet, end,
    ...loopWhileBelow(i, end, 4, laneBody),
  ];
  return { exportName: name, params: i32Params(2), locals: [[2, I32], [6, V128]], body };
}
const f32Zero = [op.f32Const, 0, 0, 0, 0];



/** add_relu(a, b, out, n): out[i] = max(a[i] + b[i], 0) — f32x4 main loop, scalar tail. f32.max keeps NaN. */
function addReluFn(): WasmFunction {
  const [a, b, out, n, i, end] = [0, 1, 2, 3, 4, 5];
  const at = (p: number): number[] => [op.localGet, p, op.localGet, i, op.i32Add];
  const vecBody = [...at(out), ...at(a), ...simdOp.load, ...memarg(2), ...at(b), ...simdOp.load, ...memarg(2), ...simdOp.f32x4Add,
    ...f32Zero, ...simdOp.f32x4Splat, ...simdOp.f32x4Max, ...simdOp.store, ...memarg(2)];
  const laneBody = [...at(out), ...at(a), op.f32Load, ...memarg(2), ...at(b), op.f32Load, ...memarg(2), op.f32Add,
    ...f32Zero, op.f32Max, op.f32Store, ...memarg(2)];
  const body = [
    op.localGet, n, op.i32Const, ...s32(-4), op.i32And, op.i32Const, 2, op.i32Shl, op.localSet, end,
    ...loopWhileBelow(i, end, 16, vecBody),
    op.localGet, n, op.i32Const, 2, op.i32Shl, op.localSet, end,
    ...loopWhileBelow(i, end, 4, laneBody),
  ];
  return { exportName: 'add_relu', params: i32Params(4), locals: [[2, I32]], body };
}

/**
 * layer_norm(x, gamma, beta, out, rows, d, epsilon): per row of d floats, three f32x4 passes over the row
 * (sum; sum of squared deviations; (x − mean)·inv·γ + β) plus scalar tails, the row in cache after the first.
 * Statistics accumulate in float32 lanes (4 partial sums), like the backend's own Mean kernel.
 */
function layerNormFn(): WasmFunction {
  const [x, gamma, beta, out, rows, d, eps] = [0, 1, 2, 3, 4, 5, 6];
  const [r, i, xr, or, dv, db] = [7, 8, 9, 10, 11, 12];
  const [sum, mean, inv, df, cs] = [13, 14, 15, 16, 17];
  const [acc, mv, iv, c] = [18, 19, 20, 21];
  const at = (p: number): number[] => [op.localGet, p, op.localGet, i, op.i32Add];
  const vload = (p: number): number[] => [...at(p), ...simdOp.load, ...memarg(2)];
  const sload = (p: number): number[] => [...at(p), op.f32Load, ...memarg(2)];
  const zeroAcc = [...f32Zero, ...simdOp.f32x4Splat, op.localSet, acc, op.i32Const, 0, op.localSet, i];
  const hsumToSum = [
    op.localGet, acc, ...simdOp.f32x4ExtractLane, 0, op.localGet, acc, ...simdOp.f32x4ExtractLane, 1, op.f32Add,
    op.localGet, acc, ...simdOp.f32x4ExtractLane, 2, op.f32Add, op.localGet, acc, ...simdOp.f32x4ExtractLane, 3, op.f32Add, op.localSet, sum,
  ];
  const rowBody = [
    op.localGet, x, op.localGet, r, op.localGet, db, op.i32Mul, op.i32Add, op.localSet, xr,
    op.localGet, out, op.localGet, r, op.localGet, db, op.i32Mul, op.i32Add, op.localSet, or,
    // pass 1: mean
    ...zeroAcc,
    ...loopWhileBelow(i, dv, 16, [op.localGet, acc, ...vload(xr), ...simdOp.f32x4Add, op.localSet, acc]),
    ...hsumToSum,
    ...loopWhileBelow(i, db, 4, [op.localGet, sum, ...sload(xr), op.f32Add, op.localSet, sum]),
    op.localGet, sum, op.localGet, df, op.f32Div, op.localTee, mean, ...simdOp.f32x4Splat, op.localSet, mv,
    // pass 2: biased variance → inv = 1/√(var + ε)
    ...zeroAcc,
    ...loopWhileBelow(i, dv, 16, [...vload(xr), op.localGet, mv, ...simdOp.f32x4Sub, op.localTee, c, op.localGet, c, ...simdOp.f32x4Mul, op.localGet, acc, ...simdOp.f32x4Add, op.localSet, acc]),
    ...hsumToSum,
    ...loopWhileBelow(i, db, 4, [...sload(xr), op.localGet, mean, op.f32Sub, op.localTee, cs, op.localGet, cs, op.f32Mul, op.localGet, sum, op.f32Add, op.localSet, sum]),
    op.f32Const, 0, 0, 0x80, 0x3f, // 1.0f
    op.localGet, sum, op.localGet, df, op.f32Div, op.localGet, eps, op.f32Add, op.f32Sqrt, op.f32Div, op.localTee, inv, ...simdOp.f32x4Splat, op.localSet, iv,
    // pass 3: normalise, scale, shift
    op.i32Const, 0, op.localSet, i,
    ...loopWhileBelow(i, dv, 16, [...at(or), ...vload(xr), op.localGet, mv, ...simdOp.f32x4Sub, op.localGet, iv, ...simdOp.f32x4Mul, ...vload(gamma), ...simdOp.f32x4Mul,
      ...vload(beta), ...simdOp.f32x4Add, ...simdOp.store, ...memarg(2)]),
    ...loopWhileBelow(i, db, 4, [...at(or), ...sload(xr), op.localGet, mean, op.f32Sub, op.localGet, inv, op.f32Mul, ...sload(gamma), op.f32Mul,
      ...sload(beta), op.f32Add, op.f32Store, ...memarg(2)]),
  ];
  const body = [
    op.localGet, d, op.i32Const, ...s32(-4), op.i32And, op.i32Const, 2, op.i32Shl, op.localSet, dv,
    op.localGet, d, op.i32Const, 2, op.i32Shl, op.localSet, db,
    op.localGet, d, op.f32ConvertI32U, op.localSet, df,
    op.i32Const, 0, op.localSet, r,
    ...loopWhileBelow(r, rows, 1, rowBody),
  ];
  return { exportName: 'layer_norm', params: [...i32Params(6), F32], locals: [[6, I32], [5, F32], [4, V128]], body };
}


export interface SimdKernels {
  /** add_relu(aByteOffset, bByteOffset, outByteOffset, n). */
  readonly add_relu: (a: number, b: number, out: number, n: number) => void;
  /** gelu(ptr, n) / silu(ptr, n): the activation applied in place to n floats at byte offset ptr. */
  readonly gelu: (ptr: number, n: number) => void;
  readonly silu: (ptr: number, n: number) => void;
  /** layer_norm(x, gamma, beta, out, rows, d, epsilon), byte offsets except rows, d, epsilon. */
  readonly layer_norm: (x: number, gamma: number, beta: number, out: number, rows: number, d: number, epsilon: number) => void;
  /** gemm(a, lda, b, bPanel, bRow, c, ldc, m, panels, k, alpha): byte offsets and strides; see common/wasm_gemm.ts. */
  readonly gemm: (a: number, lda: number, b: number, bPanel: number, bRow: number, c: number, ldc: number, m: number, panels: number, k: number, alpha: number) => void;
}

let compiled: WebAssembly.Module | undefined;
const byMemory = new WeakMap<WebAssembly.Memory, SimdKernels>();

/** The generated functions bound to tfjs-backend-wasm's memory (`backend.wasm.asm.memory` in 4.22.0). */
export function simdKernelsFor(backend: unknown, kernel: string): SimdKernels {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error(`${kernel}: cannot find tfjs-backend-wasm's memory (backend.wasm.asm.memory); this tfjs-backend-wasm version is not supported`);
  }
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) {
    throw new Error(`${kernel}: the threaded tfjs-backend-wasm build (shared memory) is not supported; it needs the non-threaded SIMD build`);
  }
  let k = byMemory.get(memory);
  if (!k) {
    compiled ??= new WebAssembly.Module(encodeModule([addReluFn(), layerNormFn(), activationFn('gelu'), activationFn('silu'), gemmFunction()]));
    k = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdKernels;
    warmUp(backend as { wasm: HeapAllocator }, memory, k);
    byMemory.set(memory, k);
  }
  return k;
}

interface HeapAllocator {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

/**
 * V8 runs new wasm functions in its baseline compiler first and tiers hot ones up later. Running each function
 * a little on a scratch buffer at instantiation gets that done before anything is timed, so a benchmark's few
 * warm-up calls never compare baseline code with optimised code.
 */
function warmUp(backend: { wasm: HeapAllocator }, memory: WebAssembly.Memory, k: SimdKernels): void {
  const n = 16384;
  const ptr = backend.wasm._malloc(3 * n * 4) >>> 0;
  try {
    const bytes = 4 * n;
    new Float32Array(memory.buffer, ptr, 3 * n).fill(0.5); // after _malloc, which may grow memory
    for (let rep = 0; rep < 40; rep++) {
      k.add_relu(ptr, ptr + bytes, ptr + 2 * bytes, n);
      k.layer_norm(ptr, ptr + bytes, ptr + bytes + 512 * 4, ptr + 2 * bytes, 16, 512, 1e-5);
      k.gelu(ptr + 2 * bytes, n);
      k.silu(ptr + 2 * bytes, n);
      // 64 × 64 · 64 × 64 (+ a 3-row tail and a k tail): A and B panels in the first and second buffers
      k.gemm(ptr, 4 * 64, ptr + bytes, 64 * 32, 32, ptr + 2 * bytes, 4 * 64, 67, 8, 63, 0.5);
    }
  } finally {
    backend.wasm._free(ptr);
  }
}
