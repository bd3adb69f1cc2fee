/**
 * Small WebAssembly SIMD functions generated at load time and instantiated against tfjs-backend-wasm's own
 * memory, so fusebench's elementwise kernels run in place on its heap at the same vector width as its C++
 * kernels (a JavaScript loop would compare scalar JS with SIMD wasm, not fused with unfused).
 * Binary format: https://webassembly.github.io/spec/core/binary/. All params and locals are i32 byte offsets.
 */
import { I32, name as utf8, s32, section, u32, vec } from './wasm_encoder.ts';

const simd = (code: number): number[] => [0xfd, ...u32(code)];

const F32 = 0x7d;
const V128 = 0x7b;
const OP = {
  block: 0x02, loop: 0x03, end: 0x0b, brIf: 0x0d, br: 0x0c, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41, i32GeU: 0x4f, i32Add: 0x6a, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74,
  f32Load: 0x2a, f32Store: 0x38, f32Const: 0x43,
  f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Max: 0x97, f32ConvertI32U: 0xb3,
} as const;
const V = {
  load: simd(0x00), store: simd(0x0b), f32x4Splat: simd(0x13), f32x4ExtractLane: simd(0x1f),
  f32x4Add: simd(0xe4), f32x4Sub: simd(0xe5), f32x4Mul: simd(0xe6), f32x4Max: simd(0xe9),
} as const;
const memarg = (alignLog2: number): number[] => [...u32(alignLog2), ...u32(0)];

/** More SIMD opcodes, for the activation epilogues. */
const W = {
  v128Const: simd(0x0c), i32x4Splat: simd(0x11), and: simd(0x4e), or: simd(0x50),
  store32Lane: simd(0x5a), load32Zero: simd(0x5c), f32x4Nearest: simd(0x6a),
  i32x4Shl: simd(0xab), i32x4Add: simd(0xae), f32x4Abs: simd(0xe0), f32x4Neg: simd(0xe1),
  f32x4Div: simd(0xe7), f32x4Min: simd(0xe8), i32x4TruncSatF32x4S: simd(0xf8),
} as const;

/** v128.const of one float32 in all four lanes. */
function splatConst(value: number): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let lane = 0; lane < 4; lane++) view.setFloat32(4 * lane, value, true);
  return [...W.v128Const, ...bytes];
}

/** v128.const of one 32-bit pattern in all four lanes. */
function splatBits(bits: number): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let lane = 0; lane < 4; lane++) view.setUint32(4 * lane, bits >>> 0, true);
  return [...W.v128Const, ...bytes];
}

/**
 * exp of the f32x4 on the stack, leaving exp on the stack (uses v128 locals x, n, r): x clamped to
 * [−87.3, 88.3] (so 2ⁿ stays a normal float), n = round(x·log₂e), r = x − n·ln2 (Cody–Waite split),
 * exp(r) by its degree-6 Taylor polynomial (|r| ≤ ln2/2, relative error < 2e-7), times 2ⁿ built in the
 * exponent bits.
 */
function expF32x4(x: number, n: number, r: number): number[] {
  const get = (l: number): number[] => [OP.get, l];
  const horner = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 0.5, 1, 1];
  const poly: number[] = [...splatConst(horner[0])];
  for (const c of horner.slice(1)) poly.push(...get(r), ...V.f32x4Mul, ...splatConst(c), ...V.f32x4Add);
  return [
    ...splatConst(-87.3), ...V.f32x4Max, ...splatConst(88.3), ...W.f32x4Min, OP.tee, x,
    ...splatConst(Math.LOG2E), ...V.f32x4Mul, ...W.f32x4Nearest, OP.set, n,
    ...get(x), ...get(n), ...splatConst(0.693145751953125), ...V.f32x4Mul, ...V.f32x4Sub,
    ...get(n), ...splatConst(1.428606765330187e-6), ...V.f32x4Mul, ...V.f32x4Sub, OP.set, r,
    ...poly,
    ...get(n), ...W.i32x4TruncSatF32x4S, OP.i32Const, ...s32(127), ...W.i32x4Splat, ...W.i32x4Add, OP.i32Const, 23, ...W.i32x4Shl,
    ...V.f32x4Mul,
  ];
}

/**
 * GELU of the f32x4 in local v, on the stack: 0.5·v·(1 + erf(v/√2)), erf by Abramowitz–Stegun 7.1.26 (the
 * approximation tfjs's Erf kernel and the cpu kernels use), sign restored from the argument.
 */
function geluF32x4(v: number, z: number, t: number, x: number, n: number, r: number): number[] {
  const get = (l: number): number[] => [OP.get, l];
  const a = [1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592];
  const poly: number[] = [...splatConst(a[0])];
  for (const c of a.slice(1)) poly.push(...get(t), ...V.f32x4Mul, ...splatConst(c), ...V.f32x4Add);
  poly.push(...get(t), ...V.f32x4Mul);
  return [
    ...get(v), ...splatConst(Math.SQRT1_2), ...V.f32x4Mul, OP.set, z,
    ...splatConst(1), ...splatConst(1), ...splatConst(0.3275911), ...get(z), ...W.f32x4Abs, ...V.f32x4Mul, ...V.f32x4Add, ...W.f32x4Div, OP.set, t,
    ...splatConst(1), ...poly,
    ...get(z), ...get(z), ...V.f32x4Mul, ...W.f32x4Neg, ...expF32x4(x, n, r),
    ...V.f32x4Mul, ...V.f32x4Sub, // |erf| = 1 − poly·exp(−z²) ≥ 0
    ...get(z), ...splatBits(0x80000000), ...W.and, ...W.or, // erf with the sign of z
    ...splatConst(1), ...V.f32x4Add, ...get(v), ...V.f32x4Mul, ...splatConst(0.5), ...V.f32x4Mul,
  ];
}

/** SiLU of the f32x4 in local v, on the stack: v / (1 + exp(−v)). */
function siluF32x4(v: number, x: number, n: number, r: number): number[] {
  return [OP.get, v, OP.get, v, ...W.f32x4Neg, ...expF32x4(x, n, r), ...splatConst(1), ...V.f32x4Add, ...W.f32x4Div];
}

/**
 * `<name>(ptr, n)`: data[ptr .. ptr + 4n) = act(data) in place; 4 lanes at a time, then the n mod 4 tail one
 * lane at a time through the same code (v128.load32_zero / v128.store32_lane).
 */
function activationFn(name: 'gelu' | 'silu'): Fn {
  const [ptr, n, i, end] = [0, 1, 2, 3];
  const [v, z, t, x, e, r] = [4, 5, 6, 7, 8, 9];
  const value = name === 'gelu' ? geluF32x4(v, z, t, x, e, r) : siluF32x4(v, x, e, r);
  const at = [OP.get, ptr, OP.get, i, OP.i32Add];
  const vecBody = [...at, ...at, ...V.load, ...memarg(2), OP.set, v, ...value, ...V.store, ...memarg(2)];
  const laneBody = [...at, ...at, ...W.load32Zero, ...memarg(2), OP.set, v, ...value, ...W.store32Lane, ...memarg(2), 0];
  const body = [
    OP.get, n, OP.i32Const, ...s32(-4), OP.i32And, OP.i32Const, 2, OP.i32Shl, OP.set, end,
    ...loopBelow(i, end, 16, vecBody),
    OP.get, n, OP.i32Const, 2, OP.i32Shl, OP.set, end,
    ...loopBelow(i, end, 4, laneBody),
  ];
  return { name, params: [I32, I32], locals: [[2, I32], [6, V128]], body };
}
const f32Zero = [OP.f32Const, 0, 0, 0, 0];

/** `while (i < end) { body; i += step }`. */
function loopBelow(i: number, end: number, step: number, body: readonly number[]): number[] {
  return [
    OP.block, OP.void, OP.loop, OP.void,
    OP.get, i, OP.get, end, OP.i32GeU, OP.brIf, 1,
    ...body,
    OP.get, i, OP.i32Const, ...s32(step), OP.i32Add, OP.set, i,
    OP.br, 0, OP.end, OP.end,
  ];
}

interface Fn {
  readonly name: string;
  /** Value types of the parameters. */
  readonly params: readonly number[];
  /** Groups of locals: [count, value type]. */
  readonly locals: ReadonlyArray<readonly [number, number]>;
  readonly body: readonly number[];
}

/** add_relu(a, b, out, n): out[i] = max(a[i] + b[i], 0) — f32x4 main loop, scalar tail. f32.max keeps NaN. */
function addReluFn(): Fn {
  const [a, b, out, n, i, end] = [0, 1, 2, 3, 4, 5];
  const at = (p: number): number[] => [OP.get, p, OP.get, i, OP.i32Add];
  const vecBody = [...at(out), ...at(a), ...V.load, ...memarg(2), ...at(b), ...V.load, ...memarg(2), ...V.f32x4Add,
    ...f32Zero, ...V.f32x4Splat, ...V.f32x4Max, ...V.store, ...memarg(2)];
  const laneBody = [...at(out), ...at(a), OP.f32Load, ...memarg(2), ...at(b), OP.f32Load, ...memarg(2), OP.f32Add,
    ...f32Zero, OP.f32Max, OP.f32Store, ...memarg(2)];
  const body = [
    OP.get, n, OP.i32Const, ...s32(-4), OP.i32And, OP.i32Const, 2, OP.i32Shl, OP.set, end,
    ...loopBelow(i, end, 16, vecBody),
    OP.get, n, OP.i32Const, 2, OP.i32Shl, OP.set, end,
    ...loopBelow(i, end, 4, laneBody),
  ];
  return { name: 'add_relu', params: [I32, I32, I32, I32], locals: [[2, I32]], body };
}

/**
 * layer_norm(x, gamma, beta, out, rows, d, epsilon): per row of d floats, three f32x4 passes over the row
 * (sum; sum of squared deviations; (x − mean)·inv·γ + β) plus scalar tails, the row in cache after the first.
 * Statistics accumulate in float32 lanes (4 partial sums), like the backend's own Mean kernel.
 */
function layerNormFn(): Fn {
  const [x, gamma, beta, out, rows, d, eps] = [0, 1, 2, 3, 4, 5, 6];
  const [r, i, xr, or, dv, db] = [7, 8, 9, 10, 11, 12];
  const [sum, mean, inv, df, cs] = [13, 14, 15, 16, 17];
  const [acc, mv, iv, c] = [18, 19, 20, 21];
  const at = (p: number): number[] => [OP.get, p, OP.get, i, OP.i32Add];
  const vload = (p: number): number[] => [...at(p), ...V.load, ...memarg(2)];
  const sload = (p: number): number[] => [...at(p), OP.f32Load, ...memarg(2)];
  const zeroAcc = [...f32Zero, ...V.f32x4Splat, OP.set, acc, OP.i32Const, 0, OP.set, i];
  const hsumToSum = [
    OP.get, acc, ...V.f32x4ExtractLane, 0, OP.get, acc, ...V.f32x4ExtractLane, 1, OP.f32Add,
    OP.get, acc, ...V.f32x4ExtractLane, 2, OP.f32Add, OP.get, acc, ...V.f32x4ExtractLane, 3, OP.f32Add, OP.set, sum,
  ];
  const rowBody = [
    OP.get, x, OP.get, r, OP.get, db, OP.i32Mul, OP.i32Add, OP.set, xr,
    OP.get, out, OP.get, r, OP.get, db, OP.i32Mul, OP.i32Add, OP.set, or,
    // pass 1: mean
    ...zeroAcc,
    ...loopBelow(i, dv, 16, [OP.get, acc, ...vload(xr), ...V.f32x4Add, OP.set, acc]),
    ...hsumToSum,
    ...loopBelow(i, db, 4, [OP.get, sum, ...sload(xr), OP.f32Add, OP.set, sum]),
    OP.get, sum, OP.get, df, OP.f32Div, OP.tee, mean, ...V.f32x4Splat, OP.set, mv,
    // pass 2: biased variance → inv = 1/√(var + ε)
    ...zeroAcc,
    ...loopBelow(i, dv, 16, [...vload(xr), OP.get, mv, ...V.f32x4Sub, OP.tee, c, OP.get, c, ...V.f32x4Mul, OP.get, acc, ...V.f32x4Add, OP.set, acc]),
    ...hsumToSum,
    ...loopBelow(i, db, 4, [...sload(xr), OP.get, mean, OP.f32Sub, OP.tee, cs, OP.get, cs, OP.f32Mul, OP.get, sum, OP.f32Add, OP.set, sum]),
    OP.f32Const, 0, 0, 0x80, 0x3f, // 1.0f
    OP.get, sum, OP.get, df, OP.f32Div, OP.get, eps, OP.f32Add, OP.f32Sqrt, OP.f32Div, OP.tee, inv, ...V.f32x4Splat, OP.set, iv,
    // pass 3: normalise, scale, shift
    OP.i32Const, 0, OP.set, i,
    ...loopBelow(i, dv, 16, [...at(or), ...vload(xr), OP.get, mv, ...V.f32x4Sub, OP.get, iv, ...V.f32x4Mul, ...vload(gamma), ...V.f32x4Mul,
      ...vload(beta), ...V.f32x4Add, ...V.store, ...memarg(2)]),
    ...loopBelow(i, db, 4, [...at(or), ...sload(xr), OP.get, mean, OP.f32Sub, OP.get, inv, OP.f32Mul, ...sload(gamma), OP.f32Mul,
      ...sload(beta), OP.f32Add, OP.f32Store, ...memarg(2)]),
  ];
  const body = [
    OP.get, d, OP.i32Const, ...s32(-4), OP.i32And, OP.i32Const, 2, OP.i32Shl, OP.set, dv,
    OP.get, d, OP.i32Const, 2, OP.i32Shl, OP.set, db,
    OP.get, d, OP.f32ConvertI32U, OP.set, df,
    OP.i32Const, 0, OP.set, r,
    ...loopBelow(r, rows, 1, rowBody),
  ];
  return { name: 'layer_norm', params: [I32, I32, I32, I32, I32, I32, F32], locals: [[6, I32], [5, F32], [4, V128]], body };
}

function encodeModule(fns: readonly Fn[]): Uint8Array<ArrayBuffer> {
  const signature = (f: Fn): string => f.params.join(',');
  const arities = [...new Set(fns.map(signature))];
  const types = section(1, vec(arities.map((sig) => [0x60, ...vec(sig.split(',').map((t) => [Number(t)])), ...u32(0)])));
  const imports = section(2, vec([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, ...u32(0)]]));
  const funcs = section(3, vec(fns.map((f) => u32(arities.indexOf(signature(f))))));
  const exports = section(7, vec(fns.map((f, k) => [...utf8(f.name), 0x00, ...u32(k)])));
  const code = section(10, vec(fns.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...u32(n), t])), ...f.body, OP.end];
    return [...u32(body.length), ...body];
  })));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

export interface SimdKernels {
  /** add_relu(aByteOffset, bByteOffset, outByteOffset, n). */
  readonly add_relu: (a: number, b: number, out: number, n: number) => void;
  /** gelu(ptr, n) / silu(ptr, n): the activation applied in place to n floats at byte offset ptr. */
  readonly gelu: (ptr: number, n: number) => void;
  readonly silu: (ptr: number, n: number) => void;
  /** layer_norm(x, gamma, beta, out, rows, d, epsilon), byte offsets except rows, d, epsilon. */
  readonly layer_norm: (x: number, gamma: number, beta: number, out: number, rows: number, d: number, epsilon: number) => void;
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
    compiled ??= new WebAssembly.Module(encodeModule([addReluFn(), layerNormFn(), activationFn('gelu'), activationFn('silu')]));
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
    }
  } finally {
    backend.wasm._free(ptr);
  }
}
