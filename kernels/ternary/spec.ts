/**
 * The ternary op table: the ONE description every backend generates its kernels from.
 *
 * A trit is −1, 0 or +1, stored in an int32 tensor (tfjs has no int8 dtype: 4 bytes per trit where int8
 * would need 1). Each op is an expression over the kernel's inputs built from six integer primitives
 * (input, const, add, mul, neg, min, max) that every target has natively: JavaScript, WebAssembly SIMD
 * (i32x4.add/mul/neg/min_s/max_s), WGSL and CUDA C. A backend writes one printer for `Expr`; fused kernels
 * are compositions of table entries, so none of the 4 + 16 fused variants is written by hand.
 *
 * Kernels (the contract in kernels/README.md):
 *   TernaryUnary     x            attrs { op: 'tnot' }                      → op(x)
 *   TernaryBinary    a, b         attrs { op: BinaryOp }                    → op(a, b)
 *   TernaryNotBinary a, b         attrs { op: BinaryOp }                    → tnot(op(a, b))   (Phase 4.1: op = 'tadd')
 *   TernaryFused3    a, b, c      attrs { inner: BinaryOp, outer: BinaryOp } → outer(inner(a, b), c) (Phase 4.2)
 *   FusebenchCopy    x            —                                         → a fresh copy of x (the memory-bound yardstick)
 * Every ternary kernel also takes an optional boolean attr `validate`: when true (or absent and validation is
 * on, see validate.ts) inputs outside {−1, 0, 1} throw TernaryValueError. All inputs must be int32, same shape.
 */
import { TERNARY_BINARY, TERNARY_FUSED3, TERNARY_NOT_BINARY, TERNARY_UNARY } from '../names.ts';

export type UnaryOp = 'tnot';
export type BinaryOp = 'tadd' | 'tmul' | 'tmin' | 'tmax';
export type TernaryOp = UnaryOp | BinaryOp;

export const UNARY_OPS: readonly UnaryOp[] = ['tnot'];
export const BINARY_OPS: readonly BinaryOp[] = ['tadd', 'tmul', 'tmin', 'tmax'];

/** An integer expression over the kernel's inputs (input 0 is `a`/`x`, 1 is `b`, 2 is `c`). */
export type Expr =
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'add' | 'mul' | 'min' | 'max'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'neg'; readonly arg: Expr };

export const input = (index: number): Expr => ({ kind: 'input', index });
export const constant = (value: number): Expr => ({ kind: 'const', value });
const bin = (kind: 'add' | 'mul' | 'min' | 'max') => (left: Expr, right: Expr): Expr => ({ kind, left, right });
export const add = bin('add');
export const mul = bin('mul');
export const min = bin('min');
export const max = bin('max');
export const neg = (arg: Expr): Expr => ({ kind: 'neg', arg });

export interface UnaryOpSpec {
  /** Human formula, for reports and generated code comments. */
  readonly formula: string;
  readonly apply: (x: Expr) => Expr;
}

export interface BinaryOpSpec {
  readonly formula: string;
  readonly apply: (a: Expr, b: Expr) => Expr;
}

/** op name → formula and expression. Everything else in kernels/ternary is derived from this table. */
export const UNARY_TABLE: Readonly<Record<UnaryOp, UnaryOpSpec>> = {
  tnot: { formula: '−x', apply: (x) => neg(x) },
};

export const BINARY_TABLE: Readonly<Record<BinaryOp, BinaryOpSpec>> = {
  tadd: { formula: 'clamp(a + b, −1, 1)', apply: (a, b) => min(max(add(a, b), constant(-1)), constant(1)) },
  tmul: { formula: 'a · b', apply: (a, b) => mul(a, b) },
  tmin: { formula: 'min(a, b)', apply: (a, b) => min(a, b) },
  tmax: { formula: 'max(a, b)', apply: (a, b) => max(a, b) },
};

export type TernaryKernelName = typeof TERNARY_UNARY | typeof TERNARY_BINARY | typeof TERNARY_NOT_BINARY | typeof TERNARY_FUSED3;
export const TERNARY_KERNEL_NAMES: readonly TernaryKernelName[] = [TERNARY_UNARY, TERNARY_BINARY, TERNARY_NOT_BINARY, TERNARY_FUSED3];

/** Input names of each kernel, in the order of `Expr` input indices. */
export const KERNEL_INPUTS: Readonly<Record<TernaryKernelName, readonly string[]>> = {
  TernaryUnary: ['x'],
  TernaryBinary: ['a', 'b'],
  TernaryNotBinary: ['a', 'b'],
  TernaryFused3: ['a', 'b', 'c'],
};

/** The attrs that pick one variant of a kernel (never `validate`). */
export type VariantAttrs =
  | { readonly kernel: typeof TERNARY_UNARY; readonly op: UnaryOp }
  | { readonly kernel: typeof TERNARY_BINARY | typeof TERNARY_NOT_BINARY; readonly op: BinaryOp }
  | { readonly kernel: typeof TERNARY_FUSED3; readonly inner: BinaryOp; readonly outer: BinaryOp };

/** One generated kernel variant: a stable name, its inputs and its expression. */
export interface KernelVariant {
  /** e.g. `TernaryFused3_tadd_tmul` (execution order: tadd first, then tmul); safe as an identifier in every target. */
  readonly id: string;
  readonly kernel: TernaryKernelName;
  readonly inputs: readonly string[];
  readonly expr: Expr;
  readonly formula: string;
  /** The attrs that picked it, for messages: `op=tadd` or `inner=tmul, outer=tadd`. */
  readonly attrsText: string;
}

export class TernaryAttrError extends Error {
  constructor(kernel: string, attr: string, got: unknown, allowed: readonly string[]) {
    super(`${kernel}: attr "${attr}" must be one of ${allowed.join(', ')} (got ${JSON.stringify(got)})`);
    this.name = 'TernaryAttrError';
  }
}

function pickBinary(kernel: string, attr: string, v: unknown): BinaryOp {
  if (typeof v === 'string' && (BINARY_OPS as readonly string[]).includes(v)) return v as BinaryOp;
  throw new TernaryAttrError(kernel, attr, v, BINARY_OPS);
}

function pickUnary(kernel: string, attr: string, v: unknown): UnaryOp {
  if (typeof v === 'string' && (UNARY_OPS as readonly string[]).includes(v)) return v as UnaryOp;
  throw new TernaryAttrError(kernel, attr, v, UNARY_OPS);
}

/** Reads and checks the variant-selecting attrs of a kernel call; throws TernaryAttrError naming the attr. */
export function variantAttrs(kernel: TernaryKernelName, attrs: Readonly<Record<string, unknown>> | undefined): VariantAttrs {
  const a = attrs ?? {};
  switch (kernel) {
    case TERNARY_UNARY:
      return { kernel, op: pickUnary(kernel, 'op', a.op) };
    case TERNARY_BINARY:
    case TERNARY_NOT_BINARY:
      return { kernel, op: pickBinary(kernel, 'op', a.op) };
    case TERNARY_FUSED3:
      return { kernel, inner: pickBinary(kernel, 'inner', a.inner), outer: pickBinary(kernel, 'outer', a.outer) };
  }
}

/** Builds the expression of a variant from the table: the generator every backend shares. */
export function variantOf(v: VariantAttrs): KernelVariant {
  const [x, a, b, c] = [input(0), input(0), input(1), input(2)];
  switch (v.kernel) {
    case TERNARY_UNARY:
      return { id: `TernaryUnary_${v.op}`, kernel: v.kernel, inputs: KERNEL_INPUTS[v.kernel], expr: UNARY_TABLE[v.op].apply(x), formula: UNARY_TABLE[v.op].formula, attrsText: `op=${v.op}` };
    case TERNARY_BINARY:
      return { id: `TernaryBinary_${v.op}`, kernel: v.kernel, inputs: KERNEL_INPUTS[v.kernel], expr: BINARY_TABLE[v.op].apply(a, b), formula: BINARY_TABLE[v.op].formula, attrsText: `op=${v.op}` };
    case TERNARY_NOT_BINARY:
      return {
        id: `TernaryNotBinary_${v.op}`, kernel: v.kernel, inputs: KERNEL_INPUTS[v.kernel], attrsText: `op=${v.op}`,
        expr: UNARY_TABLE.tnot.apply(BINARY_TABLE[v.op].apply(a, b)),
        formula: `tnot(${v.op}(a, b)) = −(${BINARY_TABLE[v.op].formula})`,
      };
    case TERNARY_FUSED3:
      return {
        id: `TernaryFused3_${v.inner}_${v.outer}`, kernel: v.kernel, inputs: KERNEL_INPUTS[v.kernel], attrsText: `inner=${v.inner}, outer=${v.outer}`,
        expr: BINARY_TABLE[v.outer].apply(BINARY_TABLE[v.inner].apply(a, b), c),
        formula: `${v.outer}(${v.inner}(a, b), c)`,
      };
  }
}

/** Every variant a backend must provide: 1 unary + 4 binary + 4 not∘binary + 16 binary→binary. */
export function allVariants(): KernelVariant[] {
  const out: KernelVariant[] = UNARY_OPS.map((op) => variantOf({ kernel: TERNARY_UNARY, op }));
  for (const op of BINARY_OPS) out.push(variantOf({ kernel: TERNARY_BINARY, op }));
  for (const op of BINARY_OPS) out.push(variantOf({ kernel: TERNARY_NOT_BINARY, op }));
  for (const [inner, outer] of PHASE_42_COMPOSITIONS) out.push(variantOf({ kernel: TERNARY_FUSED3, inner, outer }));
  return out;
}

/** The Phase 4.2 family: every (inner, outer) pair, outer applied after inner. */
export const PHASE_42_COMPOSITIONS: ReadonlyArray<readonly [inner: BinaryOp, outer: BinaryOp]> =
  BINARY_OPS.flatMap((inner) => BINARY_OPS.map((outer) => [inner, outer] as const));

/** Operations per element of an expression (every non-leaf node), for FLOP counts. */
export function opCount(e: Expr): number {
  switch (e.kind) {
    case 'input':
    case 'const':
      return 0;
    case 'neg':
      return 1 + opCount(e.arg);
    default:
      return 1 + opCount(e.left) + opCount(e.right);
  }
}

/**
 * Prints an expression with one printer per node kind: the part each backend writes (JS, WASM, WGSL, CUDA).
 * Printers receive already-printed children.
 */
export interface ExprPrinter<T> {
  input(index: number): T;
  const(value: number): T;
  add(l: T, r: T): T;
  mul(l: T, r: T): T;
  min(l: T, r: T): T;
  max(l: T, r: T): T;
  neg(x: T): T;
}

export function printExpr<T>(e: Expr, p: ExprPrinter<T>): T {
  switch (e.kind) {
    case 'input':
      return p.input(e.index);
    case 'const':
      return p.const(e.value);
    case 'neg':
      return p.neg(printExpr(e.arg, p));
    default:
      return p[e.kind](printExpr(e.left, p), printExpr(e.right, p));
  }
}

/** Evaluates an expression on numbers (generator tests compare this with the hand-written reference). */
export function evalExpr(e: Expr, inputs: readonly number[]): number {
  return printExpr<number>(e, {
    input: (i) => inputs[i],
    const: (v) => v,
    add: (l, r) => l + r,
    mul: (l, r) => l * r,
    min: (l, r) => Math.min(l, r),
    max: (l, r) => Math.max(l, r),
    neg: (x) => -x,
  });
}

/** Variants by kernel, then by the attrs that pick them (op, inner, outer): nested maps, no key string per call. */
const variantCache = new Map<TernaryKernelName, Map<unknown, Map<unknown, Map<unknown, KernelVariant>>>>();

/** `variantOf(variantAttrs(kernel, attrs))`, memoised: kernels call this on every launch. */
export function variantFor(kernel: TernaryKernelName, attrs: Readonly<Record<string, unknown>> | undefined): KernelVariant {
  const op = attrs?.op, inner = attrs?.inner, outer = attrs?.outer;
  let byOp = variantCache.get(kernel);
  if (!byOp) variantCache.set(kernel, (byOp = new Map()));
  let byInner = byOp.get(op);
  if (!byInner) byOp.set(op, (byInner = new Map()));
  let byOuter = byInner.get(inner);
  if (!byOuter) byInner.set(inner, (byOuter = new Map()));
  let v = byOuter.get(outer);
  if (!v) byOuter.set(outer, (v = variantOf(variantAttrs(kernel, attrs))));
  return v;
}
