/**
 * WGSL printer for the ternary op table (kernels/ternary/spec.ts): every ternary kernel variant on WebGPU
 * is printed from the table's expression, none is written by hand. The expression becomes straight-line
 * SSA (`let v0 = A[index]; …`), so each input is read once and shared subexpressions are never recomputed.
 * vec4<i32> when the element count is a multiple of 4 (four trits per invocation), i32 otherwise.
 */
import { printExpr, type ExprPrinter, type KernelVariant } from '../spec.ts';
import { FLAT_MAIN } from '../../common/webgpu_program.ts';

export type TernaryComponents = 1 | 4;

/** The WGSL binding name of a kernel input: tfjs names the storage buffer after `variableNames`. */
export const bindingName = (input: string): string => input.toUpperCase();

export function wgslType(components: TernaryComponents): string {
  return components === 4 ? 'vec4<i32>' : 'i32';
}

/** The statements computing one element (or vec4) of `variant` at `index`, and the name holding the result. */
export function ternaryBody(variant: KernelVariant, components: TernaryComponents): { lines: string[]; result: string } {
  const T = wgslType(components);
  const lines: string[] = [];
  let next = 0;
  const tmp = (rhs: string): string => {
    const name = `v${next++}`;
    lines.push(`let ${name} = ${rhs};`);
    return name;
  };
  const printer: ExprPrinter<string> = {
    input: (i) => {
      const name = variant.inputs[i];
      if (name === undefined) throw new Error(`${variant.id}: expression reads input ${i}; the kernel has ${variant.inputs.length}`);
      return tmp(`${bindingName(name)}[index]`);
    },
    const: (c) => {
      if (!Number.isInteger(c)) throw new Error(`${variant.id}: constant ${c} is not an integer`);
      return `${T}(${c})`;
    },
    // WGSL i32 arithmetic wraps on overflow (no undefined behaviour), as JS `| 0` and Math.imul do.
    add: (l, r) => tmp(`${l} + ${r}`),
    mul: (l, r) => tmp(`${l} * ${r}`),
    min: (l, r) => tmp(`min(${l}, ${r})`),
    max: (l, r) => tmp(`max(${l}, ${r})`),
    neg: (x) => tmp(`-${x}`),
  };
  const result = printExpr(variant.expr, printer);
  return { lines, result };
}

/** The user code of the WebGPU program (tfjs adds bindings, uniforms and `_start` around it). */
export function ternaryWgsl(variant: KernelVariant, components: TernaryComponents): string {
  const { lines, result } = ternaryBody(variant, components);
  return [
    `  // ${variant.id}: ${variant.formula} (generated from kernels/ternary/spec.ts)`,
    `  ${FLAT_MAIN} {`,
    '    if (index < uniforms.size) {',
    ...lines.map((l) => `      ${l}`),
    `      result[index] = ${result};`,
    '    }',
    '  }',
  ].join('\n');
}
