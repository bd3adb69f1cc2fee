/**
 * Shared declarations of the ternary micro suites (sizes, costs, predictions, notes). Not a suite file:
 * the *.bench.ts files next to it declare the suites.
 */
import type { AnalyticCost, Prediction, SizeParams, Tolerance } from 'fusebench';
import type { TernaryOpOptions } from '../../kernels/ternary/ops.ts';
import { BINARY_TABLE, UNARY_TABLE, input, opCount, type BinaryOp } from '../../kernels/ternary/spec.ts';

/** 1K … 16M elements (powers of two). */
export const FULL_ELEMENTS = [2 ** 10, 2 ** 14, 2 ** 18, 2 ** 20, 2 ** 22, 2 ** 24] as const;
/** The Phase 4.2 family has 16 suites: fewer sizes, same range. */
export const FULL_ELEMENTS_PHASE42 = [2 ** 10, 2 ** 16, 2 ** 20, 2 ** 24] as const;
export const QUICK_ELEMENTS = [2 ** 10, 2 ** 16] as const;
/**
 * Phase 4.1's quick sizes are the quick pipelines' fused-kernel sizes (the 256² and 1024² images), so that each
 * pipeline's Amdahl prediction takes the micro speedup at its own size.
 */
export const QUICK_ELEMENTS_PHASE41 = [2 ** 16, 2 ** 20] as const;

export const sizesOf = (ns: readonly number[]): Array<{ n: number }> => ns.map((n) => ({ n }));

export function elementsLabel(n: number): string {
  if (n >= 2 ** 20 && n % 2 ** 20 === 0) return `${n / 2 ** 20}M elements`;
  if (n >= 2 ** 10 && n % 2 ** 10 === 0) return `${n / 2 ** 10}K elements`;
  return `${n} elements`;
}

/** Timed calls skip the trit check: inputs come from trits() and every result is compared with the reference. */
export const BENCH: TernaryOpOptions = { validate: false };

/** Integer results: exact. */
export const EXACT: Tolerance = { atol: 0, rtol: 0 };

const BYTES_PER_TRIT = 4; // int32: tfjs has no int8

const x = input(0);
const y = input(1);
export const binaryOps = (op: BinaryOp): number => opCount(BINARY_TABLE[op].apply(x, y));
const notOps = opCount(UNARY_TABLE.tnot.apply(x));

/** tnot(op(a, b)): unfused reads a, b, writes t, reads t, writes out (5 passes); fused 3 passes. */
export function notBinaryCost(op: BinaryOp, p: SizeParams): AnalyticCost {
  const pass = BYTES_PER_TRIT * p.n;
  return { flops: p.n * (binaryOps(op) + notOps), bytesUnfused: 5 * pass, bytesFused: 3 * pass, intermediateBytes: pass };
}

/** outer(inner(a, b), c): unfused 3 + 3 passes; fused reads a, b, c and writes once (4 passes). */
export function fused3Cost(inner: BinaryOp, outer: BinaryOp, p: SizeParams): AnalyticCost {
  const pass = BYTES_PER_TRIT * p.n;
  return { flops: p.n * (binaryOps(inner) + binaryOps(outer)), bytesUnfused: 6 * pass, bytesFused: 4 * pass, intermediateBytes: pass };
}

const both = (p: Prediction): Record<'cpu' | 'gpu', Prediction> => ({ cpu: p, gpu: p });

export const PHASE41_PREDICTION = both({
  min: 5 / 3,
  max: 2,
  source: 'byte model: 5 → 3 int32 passes = 1.67× when memory-bound, 2 kernels → 1 = 2× when launch-bound; the study measured 1.77×',
});

export const PHASE42_PREDICTION = both({
  min: 1.5,
  max: 2,
  source: 'byte model: 6 → 4 int32 passes = 1.5× when memory-bound, 2 kernels → 1 = 2× when launch-bound',
});

export const TERNARY_NOTES: readonly string[] = [
  'Trits are stored in int32 tensors because tfjs has no int8 dtype: 4 bytes per trit. int8 storage would move a quarter of the bytes (2-bit packing, a sixteenth), which moves the memory-bound limit by the same factor.',
  'Timed calls run with trit validation off (attr validate: false); correctness is checked exactly against an independent JavaScript reference before timing.',
  'Both variants use fusebench kernels: unfused = TernaryBinary then TernaryUnary/TernaryBinary (two launches, one int32 intermediate); fused = one generated kernel.',
  'On tensorflow, TensorFlow has no ternary ops: both variants are composed of the same TF ops, one per operation of the op table\'s expression (Add, Mul, Minimum, Maximum, Neg): the two variants run the same ops.',
];
