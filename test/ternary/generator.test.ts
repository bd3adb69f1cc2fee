/** The op table and the generators built on it: every fused variant comes from one description per backend. */
import { describe, expect, it } from 'vitest';
import {
  BINARY_OPS, allVariants, evalExpr, opCount, printExpr, variantAttrs, variantFor, variantOf, type Expr,
} from '../../kernels/ternary/spec.ts';
import { REF_BINARY, refTnot } from '../../kernels/ternary/reference.ts';
import { compileJs, jsSource } from '../../kernels/ternary/cpu/codegen.ts';
import { ternaryWasmModuleBytes, variantFunction } from '../../kernels/ternary/wasm/codegen.ts';
import { s32, u32 } from '../../kernels/common/wasm_encoder.ts';
import { runBackwards } from '../../kernels/ternary/wasm/kernels.ts';

const TRITS = [-1, 0, 1];

/** The hand-written reference for a variant (independent of the expression table). */
function referenceOf(id: string): (a: number, b: number, c: number) => number {
  const [kernel, x, y] = id.split('_');
  if (kernel === 'TernaryUnary') return (a) => refTnot(a);
  if (kernel === 'TernaryBinary') return (a, b) => REF_BINARY[x as 'tadd'](a, b);
  if (kernel === 'TernaryNotBinary') return (a, b) => refTnot(REF_BINARY[x as 'tadd'](a, b));
  return (a, b, c) => REF_BINARY[y as 'tadd'](REF_BINARY[x as 'tadd'](a, b), c);
}

describe('op table', () => {
  it('generates 25 distinct variants: 1 unary, 4 binary, 4 not∘binary, 16 binary→binary', () => {
    const vs = allVariants();
    expect(vs).toHaveLength(25);
    expect(new Set(vs.map((v) => v.id)).size).toBe(25);
    expect(vs.filter((v) => v.kernel === 'TernaryFused3').map((v) => v.id)).toContain('TernaryFused3_tmul_tadd');
  });

  it('every variant\'s expression equals the independent reference on all trit inputs', () => {
    for (const v of allVariants()) {
      const ref = referenceOf(v.id);
      for (const a of TRITS) for (const b of TRITS) for (const c of TRITS) {
        expect(evalExpr(v.expr, [a, b, c]) + 0, `${v.id}(${a}, ${b}, ${c})`).toBe(ref(a, b, c));
      }
    }
  });

  it('fused expressions are compositions of table entries (Fused3 = outer(inner(a, b), c))', () => {
    const f = variantOf({ kernel: 'TernaryFused3', inner: 'tmul', outer: 'tadd' });
    const inner = variantOf({ kernel: 'TernaryBinary', op: 'tmul' }).expr;
    type Bin = Extract<Expr, { left: Expr }>;
    const outer = variantOf({ kernel: 'TernaryBinary', op: 'tadd' }).expr as Bin;
    // tadd = min(max(add(a, b), −1), 1): the inner expression sits where `a` was.
    const add = (outer.left as Bin).left as Bin;
    const fAdd = ((f.expr as Bin).left as Bin).left as Bin;
    expect([outer.kind, (outer.left as Bin).kind, add.kind, fAdd.kind]).toEqual(['min', 'max', 'add', 'add']);
    expect(fAdd.left).toEqual(inner);
    expect(fAdd.right).toEqual({ kind: 'input', index: 2 });
    expect(add.left).toEqual({ kind: 'input', index: 0 });
    expect(opCount(f.expr)).toBe(opCount(inner) + opCount(outer));
    expect(f.formula).toBe('tadd(tmul(a, b), c)');
  });

  it('names the attr at fault and memoises variants', () => {
    expect(() => variantAttrs('TernaryBinary', { op: 'tadd2' })).toThrow(/TernaryBinary: attr "op" must be one of tadd, tmul, tmin, tmax \(got "tadd2"\)/);
    expect(() => variantAttrs('TernaryFused3', { inner: 'tadd' })).toThrow(/attr "outer"/);
    expect(variantFor('TernaryNotBinary', { op: 'tmax' })).toBe(variantFor('TernaryNotBinary', { op: 'tmax' }));
  });

  it('printExpr drives any target syntax (here: infix text)', () => {
    const text = printExpr<string>(variantOf({ kernel: 'TernaryNotBinary', op: 'tadd' }).expr, {
      input: (i) => 'abc'[i], const: String, add: (l, r) => `(${l}+${r})`, mul: (l, r) => `(${l}*${r})`,
      min: (l, r) => `min(${l},${r})`, max: (l, r) => `max(${l},${r})`, neg: (x) => `-${x}`,
    });
    expect(text).toBe('-min(max((a+b),-1),1)');
  });
});

describe('JavaScript generator (cpu)', () => {
  it('prints one branch-free loop per variant from the table', () => {
    const src = jsSource(variantOf({ kernel: 'TernaryNotBinary', op: 'tadd' }));
    expect(src).toMatch(/^\/\/ TernaryNotBinary_tadd: tnot\(tadd\(a, b\)\)/);
    expect(src).toContain('return function TernaryNotBinary_tadd(out, in0, in1, n)');
    expect(src).toContain('in0[i]');
    expect(src).toContain('in1[i]');
    expect(src).not.toMatch(/\?/); // min/max are branch-free
    expect(src.match(/for \(/g)).toHaveLength(1);
  });

  it('compiled loops compute every variant correctly', () => {
    const a = Int32Array.from([-1, -1, -1, 0, 0, 0, 1, 1, 1]);
    const b = Int32Array.from([-1, 0, 1, -1, 0, 1, -1, 0, 1]);
    const c = Int32Array.from([1, -1, 0, 1, -1, 0, 1, -1, 0]);
    for (const v of allVariants()) {
      const out = new Int32Array(9);
      compileJs(v)(out, ...[a, b, c].slice(0, v.inputs.length), 9);
      const ref = referenceOf(v.id);
      expect(Array.from(out), v.id).toEqual(Array.from(a, (x, i) => ref(x, b[i], c[i])));
    }
  });
});

describe('WebAssembly generator (wasm)', () => {
  it('runs a loop back to front when its output sits just past an input modulo 4 KiB (4K aliasing)', () => {
    expect(runBackwards([0], 8)).toBe(true);
    expect(runBackwards([4096 * 10], 4096 * 97 + 64)).toBe(true);
    expect(runBackwards([0], 4096 - 8)).toBe(false);
    expect(runBackwards([0], 2048)).toBe(false);
    expect(runBackwards([0], 4096 * 3)).toBe(false);
    expect(runBackwards([0, 16], 8)).toBe(false); // one input bad each way: keep the default
    expect(runBackwards([0, 4], 8)).toBe(true);
  });

  it('LEB128 encodes like the spec examples', () => {
    expect(u32(0)).toEqual([0]);
    expect(u32(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(s32(-1)).toEqual([0x7f]);
    expect(s32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(s32(64)).toEqual([0xc0, 0x00]);
  });

  it('builds a valid module exporting every variant and the copy, with SIMD bodies', () => {
    const bytes = ternaryWasmModuleBytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    expect(exports).toEqual([...allVariants().flatMap((v) => [v.id, `${v.id}_rev`]), 'FusebenchCopy', 'FusebenchCopy_rev']);
    const body = variantFunction(variantOf({ kernel: 'TernaryBinary', op: 'tmin' })).body;
    const hasSeq = (seq: number[]): boolean => body.some((_, i) => seq.every((x, j) => body[i + j] === x));
    expect(hasSeq([0xfd, 0xb6, 0x01])).toBe(true); // i32x4.min_s
    expect(hasSeq([0xfd, 0xae, 0x01])).toBe(false); // no i32x4.add in tmin
  });

  it('runs every variant correctly on its own memory (4-lane body and scalar tail)', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const fns = new WebAssembly.Instance(new WebAssembly.Module(ternaryWasmModuleBytes()), { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
    const n = 27 + 2;
    const heap = new Int32Array(memory.buffer);
    const [A, B, C, O] = [0, 64, 128, 192];
    for (let i = 0; i < n; i++) {
      heap[A + i] = (i % 3) - 1;
      heap[B + i] = (Math.floor(i / 3) % 3) - 1;
      heap[C + i] = (Math.floor(i / 9) % 3) - 1;
    }
    for (const v of allVariants()) {
      for (const name of [v.id, `${v.id}_rev`]) {
        heap.fill(99, O - 4, O + n + 4);
        const ptrs = [A, B, C].slice(0, v.inputs.length).map((p) => p * 4);
        fns[name](...ptrs, O * 4, n);
        const ref = referenceOf(v.id);
        const got = Array.from(heap.subarray(O, O + n));
        expect(got, name).toEqual(Array.from({ length: n }, (_, i) => ref(heap[A + i], heap[B + i], heap[C + i])));
        expect([heap[O - 1], heap[O + n]], `${name} wrote outside its output`).toEqual([99, 99]);
      }
    }
    for (const name of ['FusebenchCopy', 'FusebenchCopy_rev']) {
      heap.fill(99, O - 4, O + n + 4);
      fns[name](A * 4, O * 4, n);
      expect(Array.from(heap.subarray(O, O + n)), name).toEqual(Array.from(heap.subarray(A, A + n)));
      expect([heap[O - 1], heap[O + n]]).toEqual([99, 99]);
    }
    expect(BINARY_OPS).toHaveLength(4);
  });
});
