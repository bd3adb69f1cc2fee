/**
 * JavaScript generator for the cpu backend: one monomorphic loop per kernel variant, printed from the op
 * table's expression in SSA form and compiled once with `new Function` (V8 then optimises each loop on its own,
 * which a generic interpreter over the expression could not match).
 */
import { printExpr, type ExprPrinter, type KernelVariant } from '../spec.ts';

/** `(out, in0, …, n) => void` over Int32Arrays. */
export type JsLoop = (out: Int32Array, ...args: Array<Int32Array | number>) => void;

/** The function's source, e.g. for TernaryNotBinary_tadd. Exported so tests (and curious readers) can see it. */
export function jsSource(v: KernelVariant): string {
  const lines: string[] = [];
  let next = 0;
  const tmp = (rhs: string): string => {
    const name = `v${next++}`;
    lines.push(`const ${name} = ${rhs};`);
    return name;
  };
  const printer: ExprPrinter<string> = {
    input: (i) => tmp(`in${i}[i]`),
    const: (c) => (c < 0 ? `(${c})` : String(c)),
    add: (l, r) => tmp(`(${l} + ${r}) | 0`),
    mul: (l, r) => tmp(`Math.imul(${l}, ${r})`),
    // Branchless: random trits make `a < b ? a : b` mispredict about half the time (measured 3-4× slower).
    // Exact whenever l − r fits in int32, which holds for trits and everything computed from them.
    min: (l, r) => {
      const d = tmp(`(${l} - ${r}) | 0`);
      return tmp(`(${r} + (${d} & (${d} >> 31))) | 0`);
    },
    max: (l, r) => {
      const d = tmp(`(${l} - ${r}) | 0`);
      return tmp(`(${r} + (${d} & ~(${d} >> 31))) | 0`);
    },
    neg: (x) => tmp(`(0 - ${x}) | 0`),
  };
  const result = printExpr(v.expr, printer);
  const params = v.inputs.map((_, i) => `in${i}`).join(', ');
  return [
    `// ${v.id}: ${v.formula} (generated from kernels/ternary/spec.ts)`,
    `return function ${v.id}(out, ${params}, n) {`,
    `  for (let i = 0; i < n; i++) {`,
    ...lines.map((l) => `    ${l}`),
    `    out[i] = ${result};`,
    `  }`,
    `};`,
  ].join('\n');
}

const compiled = new Map<string, JsLoop>();

export function compileJs(v: KernelVariant): JsLoop {
  let fn = compiled.get(v.id);
  if (!fn) {
    fn = new Function(jsSource(v))() as JsLoop;
    compiled.set(v.id, fn);
  }
  return fn;
}
