/**
 * The few pieces of the WebAssembly binary format fusebench's hand-built modules need (ternary/wasm and common/wasm_simd.ts): LEB128 numbers, names, sections,
 * and the opcodes used by wasm/codegen.ts. (Spec: https://webassembly.github.io/spec/core/binary/.)
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

export const I32 = 0x7f;
export const FUNC_TYPE = 0x60;

/** Opcodes (core, then 0xFD-prefixed SIMD, then 0xFC-prefixed bulk memory). */
export const op = {
  block: 0x02, loop: 0x03, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21,
  i32Const: 0x41, i32LeU: 0x4d, i32GeU: 0x4f, i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71, i32Shl: 0x74,
} as const;

const simd = (code: number): number[] => [0xfd, ...u32(code)];
export const simdOp = {
  load: simd(0x00), store: simd(0x0b), i32x4Splat: simd(0x11),
  load32Zero: simd(0x5c), store32Lane: simd(0x5a),
  i32x4Neg: simd(0xa1), i32x4Add: simd(0xae), i32x4Mul: simd(0xb5), i32x4MinS: simd(0xb6), i32x4MaxS: simd(0xb8),
} as const;

/** memory.copy 0 0: (dest, src, nBytes). */
export const memoryCopy: number[] = [0xfc, ...u32(10), 0x00, 0x00];

/** memarg: alignment exponent (a hint) and offset. */
export const memarg = (alignLog2: number, offset = 0): number[] => [...u32(alignLog2), ...u32(offset)];

export interface WasmFunction {
  readonly exportName: string;
  readonly params: number;
  readonly locals: number;
  readonly body: readonly number[];
}

/** A module importing `env.memory` (not shared) and exporting each function; all params and locals are i32. */
export function encodeModule(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const arities = [...new Set(functions.map((f) => f.params))];
  const typeSec = section(1, vec(arities.map((n) => [FUNC_TYPE, ...vec(Array.from({ length: n }, () => [I32])), ...u32(0)])));
  const importSec = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...u32(0)]]));
  const funcSec = section(3, vec(functions.map((f) => u32(arities.indexOf(f.params)))));
  const exportSec = section(7, vec(functions.map((f, i) => [...name(f.exportName), 0x00, ...u32(i)])));
  const codeSec = section(10, vec(functions.map((f) => {
    const locals = f.locals > 0 ? vec([[...u32(f.locals), I32]]) : u32(0);
    const body = [...locals, ...f.body, op.end];
    return [...u32(body.length), ...body];
  })));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSec, ...importSec, ...funcSec, ...exportSec, ...codeSec]);
}
