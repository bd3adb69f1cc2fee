/**
 * WebAssembly SIMD generator for the wasm backend: every kernel variant of the op table becomes one function
 * `(in0, …, out, n)` over byte offsets into the tfjs-backend-wasm heap. The body is the table's expression
 * printed as i32x4 instructions: a 4-lane loop, then the same expression one lane at a time for the n mod 4
 * tail (v128.load32_zero / v128.store32_lane), so the generator has a single printer.
 */
import { allVariants, printExpr, type ExprPrinter, type KernelVariant } from '../spec.ts';
import { FUSEBENCH_COPY, TERNARY_UNARY } from '../../names.ts';
import { encodeModule, I32, i32Params, loopWhileBelow, memarg, memoryCopy, op, s32, simdOp, type WasmFunction } from '../../common/wasm_encoder.ts';

/** Bytecode of one variant's expression; `load` is the instruction that reads one input at (ptr + i). */
function exprCode(v: KernelVariant, ptrLocal: (i: number) => number, iLocal: number, load: number[]): number[] {
  const printer: ExprPrinter<number[]> = {
    input: (k) => [op.localGet, ptrLocal(k), op.localGet, iLocal, op.i32Add, ...load, ...memarg(2)],
    const: (c) => [op.i32Const, ...s32(c), ...simdOp.i32x4Splat],
    add: (l, r) => [...l, ...r, ...simdOp.i32x4Add],
    mul: (l, r) => [...l, ...r, ...simdOp.i32x4Mul],
    min: (l, r) => [...l, ...r, ...simdOp.i32x4MinS],
    max: (l, r) => [...l, ...r, ...simdOp.i32x4MaxS],
    neg: (x) => [...x, ...simdOp.i32x4Neg],
  };
  return printExpr(v.expr, printer);
}

/** `while (i > bound) { i -= step; body }`: the same loop run from the end down. */
function loopWhileAbove(iLocal: number, boundLocal: number, step: number, body: readonly number[]): number[] {
  return [
    op.block, op.void, op.loop, op.void,
    op.localGet, iLocal, op.localGet, boundLocal, op.i32LeU, op.brIf, 1,
    op.localGet, iLocal, op.i32Const, ...s32(step), op.i32Sub, op.localSet, iLocal,
    ...body,
    op.br, 0,
    op.end, op.end,
  ];
}

/** Suffix of the export that runs a variant from the last element down (see wasm/kernels.ts: 4K aliasing). */
export const REVERSE_SUFFIX = '_rev';

/**
 * One variant as `(in0, …, out, n)`: a 4-lane loop plus a lane-at-a-time tail. `reverse` runs the same
 * instructions from the end down, which the kernel picks when the output sits just past an input modulo 4 KiB.
 */
export function variantFunction(v: KernelVariant, reverse = false): WasmFunction {
  const k = v.inputs.length;
  const out = k;
  const n = k + 1;
  const i = k + 2;
  const bound = k + 3;
  const ptr = (j: number): number => j;
  const vectorBody = [op.localGet, out, op.localGet, i, op.i32Add, ...exprCode(v, ptr, i, simdOp.load), ...simdOp.store, ...memarg(2)];
  const laneBody = [op.localGet, out, op.localGet, i, op.i32Add, ...exprCode(v, ptr, i, simdOp.load32Zero), ...simdOp.store32Lane, ...memarg(2), 0];
  // bound = (n & ~3) * 4: the byte offset where the 4-lane part stops and the tail starts.
  const vectorEnd = [op.localGet, n, op.i32Const, ...s32(-4), op.i32And, op.i32Const, 2, op.i32Shl, op.localSet, bound];
  const body = reverse
    ? [
      op.localGet, n, op.i32Const, 2, op.i32Shl, op.localSet, i, // i = n * 4
      ...vectorEnd,
      ...loopWhileAbove(i, bound, 4, laneBody),
      op.i32Const, 0, op.localSet, bound,
      ...loopWhileAbove(i, bound, 16, vectorBody),
    ]
    : [
      ...vectorEnd,
      ...loopWhileBelow(i, bound, 16, vectorBody),
      op.localGet, n, op.i32Const, 2, op.i32Shl, op.localSet, bound,
      ...loopWhileBelow(i, bound, 4, laneBody),
    ];
  return { exportName: reverse ? `${v.id}${REVERSE_SUFFIX}` : v.id, params: i32Params(k + 2), locals: [[2, I32]], body };
}

/** copy(src, out, n): memory.copy of n 4-byte values (the engine's native memmove, front to back). */
export function copyFunction(): WasmFunction {
  const body = [op.localGet, 1, op.localGet, 0, op.localGet, 2, op.i32Const, 2, op.i32Shl, ...memoryCopy];
  return { exportName: FUSEBENCH_COPY, params: i32Params(3), locals: [], body };
}

/** The identity expression run through the variant loop from the end down: the copy used when memmove would alias. */
export const COPY_VARIANT: KernelVariant = {
  id: FUSEBENCH_COPY, kernel: TERNARY_UNARY, inputs: ['x'], expr: { kind: 'input', index: 0 }, formula: 'x', attrsText: 'copy',
};

/** The whole module: every variant of the table plus the copy. */
export function ternaryWasmModuleBytes(): Uint8Array<ArrayBuffer> {
  return encodeModule([
    ...allVariants().flatMap((v) => [variantFunction(v), variantFunction(v, true)]),
    copyFunction(),
    variantFunction(COPY_VARIANT, true),
  ]);
}
