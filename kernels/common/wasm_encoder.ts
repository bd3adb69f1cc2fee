/**
 * The few pieces of the WebAssembly binary format fusebench's hand-built modules need (ternary/wasm/codegen.ts and
 * common/wasm_simd.ts): LEB128 numbers, names, sections, the opcodes they use, a counted loop and the module
 * encoder. (Spec: https://webassembly.github.io/spec/core/binary/.)
 */

export function u32(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function s32(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...u32(bytes.length), ...bytes];
}

export function vec(items: readonly number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

export function section(id: number, body: readonly number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const FUNC_TYPE = 0x60;

/** Opcodes (core, then 0xFD-prefixed SIMD, then 0xFC-prefixed bulk memory). */
export const op = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32LtU: 0x49, i32LeU: 0x4d, i32GeU: 0x4f, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32RemU: 0x70, i32And: 0x71, i32Shl: 0x74,
  f32Load: 0x2a, f32Store: 0x38, f32Const: 0x43,
  f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Max: 0x97, f32ConvertI32U: 0xb3,
} as const;

const simd = (code: number): number[] => [0xfd, ...u32(code)];
export const simdOp = {
  load: simd(0x00), load32Splat: simd(0x09), store: simd(0x0b), v128Const: simd(0x0c), i32x4Splat: simd(0x11), f32x4Splat: simd(0x13),
  f32x4ExtractLane: simd(0x1f), v128And: simd(0x4e), v128Or: simd(0x50),
  load32Zero: simd(0x5c), store32Lane: simd(0x5a), f32x4Nearest: simd(0x6a),
  i32x4Neg: simd(0xa1), i32x4Shl: simd(0xab), i32x4Add: simd(0xae), i32x4Mul: simd(0xb5), i32x4MinS: simd(0xb6), i32x4MaxS: simd(0xb8),
  f32x4Abs: simd(0xe0), f32x4Neg: simd(0xe1), f32x4Add: simd(0xe4), f32x4Sub: simd(0xe5), f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7), f32x4Min: simd(0xe8), f32x4Max: simd(0xe9), i32x4TruncSatF32x4S: simd(0xf8),
} as const;

/** memory.copy 0 0: (dest, src, nBytes). */
export const memoryCopy: number[] = [0xfc, ...u32(10), 0x00, 0x00];

/** memarg: alignment exponent (a hint) and offset. */
export const memarg = (alignLog2: number, offset = 0): number[] => [...u32(alignLog2), ...u32(offset)];

/** `while (i < end) { body; i += step }`, with i and end i32 locals. */
export function loopWhileBelow(iLocal: number, endLocal: number, step: number, body: readonly number[]): number[] {
  return [
    op.block, op.void, op.loop, op.void,
    op.localGet, iLocal, op.localGet, endLocal, op.i32GeU, op.brIf, 1,
    ...body,
    op.localGet, iLocal, op.i32Const, ...s32(step), op.i32Add, op.localSet, iLocal,
    op.br, 0,
    op.end, op.end,
  ];
}

export interface WasmFunction {
  readonly exportName: string;
  /** Value types of the parameters; the functions return nothing. */
  readonly params: readonly number[];
  /** Groups of locals: [count, value type]. */
  readonly locals: ReadonlyArray<readonly [count: number, type: number]>;
  readonly body: readonly number[];
}

/** `count` i32 parameters. */
export const i32Params = (count: number): number[] => new Array<number>(count).fill(I32);

/** A module importing `env.memory` (not shared) and exporting each function. */
export function encodeModule(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const signature = (f: WasmFunction): string => f.params.join(',');
  const signatures = [...new Set(functions.map(signature))];
  const typeSec = section(1, vec(signatures.map((sig) => [FUNC_TYPE, ...vec(sig === '' ? [] : sig.split(',').map((t) => [Number(t)])), ...u32(0)])));
  const importSec = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...u32(0)]]));
  const funcSec = section(3, vec(functions.map((f) => u32(signatures.indexOf(signature(f))))));
  const exportSec = section(7, vec(functions.map((f, i) => [...name(f.exportName), 0x00, ...u32(i)])));
  const codeSec = section(10, vec(functions.map((f) => {
    const body = [...vec(f.locals.map(([count, type]) => [...u32(count), type])), ...f.body, op.end];
    return [...u32(body.length), ...body];
  })));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSec, ...importSec, ...funcSec, ...exportSec, ...codeSec]);
}
