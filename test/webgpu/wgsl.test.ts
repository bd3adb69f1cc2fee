/**
 * The WGSL generators, checked as text and by evaluating what they print; no GPU needed.
 * (Whether the full shaders compile is checked by compile.test.ts on Dawn's null device.)
 */
import { describe, expect, it } from 'vitest';
import { allVariants, BINARY_OPS, PHASE_42_COMPOSITIONS, variantOf, type KernelVariant } from '../../kernels/ternary/spec.ts';
import { REF_BINARY, refTnot } from '../../kernels/ternary/reference.ts';
import { bindingName, ternaryBody, ternaryWgsl } from '../../kernels/ternary/webgpu/codegen.ts';
import { TernaryProgram } from '../../kernels/ternary/webgpu/kernels.ts';
import { ACTIVATION_WGSL, ERFC_WGSL, LinearActProgram, linearActWgsl } from '../../kernels/linear_act/webgpu.ts';
import { ACTIVATIONS } from '../../kernels/common/activation.ts';
import { layerNormShape, layerNormWgsl } from '../../kernels/layer_norm/webgpu.ts';
import { defaultSdpaChoice, sdpaProgram } from '../../kernels/sdpa/webgpu.ts';
import { SdpaRowProgram, sdpaRowShape, sdpaRowWgsl } from '../../kernels/sdpa/webgpu_rows.ts';
import { SdpaTiledProgram, sdpaTiledWgsl, sdpaTiling, TILED_MAX_BUDGET_BYTES } from '../../kernels/sdpa/webgpu_tiled.ts';
import { QktSoftmaxProgram, qktSoftmaxWgsl } from '../../kernels/qkt_softmax/webgpu.ts';
import { addReluWgsl } from '../../kernels/add_relu/webgpu.ts';
import { loopLocalVarsWithoutInitializer } from './wgsl-lint.ts';
import { erfc } from '../../harness/core/reference.ts';

/** Leftovers a template can leave in generated code. */
const LEFTOVERS = /\$\{|undefined|NaN|\[object|null|\bTODO\b/;

/**
 * Runs the SSA lines the ternary generator prints, as JavaScript over scalar i32 values: the statements
 * use only `let`, `+`, `*`, unary `-`, min, max and i32(c), which map one to one onto JS.
 */
function evalPrinted(v: KernelVariant, inputs: readonly number[]): number {
  const { lines, result } = ternaryBody(v, 1);
  const js = lines
    .map((l) => l.replace(/^let /, 'const ').replace(/\bmin\(/g, 'Math.min(').replace(/\bmax\(/g, 'Math.max(').replace(/\bi32\((-?\d+)\)/g, '($1)'))
    .map((l) => l.replace(/\b([A-Z])\[index\]/g, (_, n: string) => `in_${n}`))
    .join('\n');
  const names = v.inputs.map((n) => `in_${bindingName(n)}`);
  // `| 0`: i32 has no −0, JS has (−1 · 0).
  return (new Function(...names, `${js}\nreturn ${result};`)(...inputs) as number) | 0;
}

const TRITS = [-1, 0, 1];

describe('ternary WGSL generator', () => {
  it('covers every variant: 1 unary, 4 binary, 4 not∘binary, 16 compositions', () => {
    const ids = allVariants().map((v) => v.id);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect(PHASE_42_COMPOSITIONS).toHaveLength(16);
  });

  it('prints code that computes each of the 16 compositions, on all 27 trit triples', () => {
    for (const [inner, outer] of PHASE_42_COMPOSITIONS) {
      const v = variantOf({ kernel: 'TernaryFused3', inner, outer });
      for (const a of TRITS) for (const b of TRITS) for (const c of TRITS) {
        expect(evalPrinted(v, [a, b, c]), `${v.id}(${a},${b},${c})`).toBe(REF_BINARY[outer](REF_BINARY[inner](a, b), c) | 0);
      }
    }
  });

  it('prints code that computes tnot, the binary ops and tnot∘op', () => {
    const tnot = variantOf({ kernel: 'TernaryUnary', op: 'tnot' });
    for (const x of TRITS) expect(evalPrinted(tnot, [x])).toBe(refTnot(x) | 0);
    for (const op of BINARY_OPS) {
      const bin = variantOf({ kernel: 'TernaryBinary', op });
      const not = variantOf({ kernel: 'TernaryNotBinary', op });
      for (const a of TRITS) for (const b of TRITS) {
        expect(evalPrinted(bin, [a, b]), `${op}(${a},${b})`).toBe(REF_BINARY[op](a, b) | 0);
        expect(evalPrinted(not, [a, b]), `tnot(${op}(${a},${b}))`).toBe(refTnot(REF_BINARY[op](a, b)) | 0);
      }
    }
  });

  it('reads each input exactly once and leaves nothing unexpanded', () => {
    for (const v of allVariants()) {
      for (const c of [1, 4] as const) {
        const code = ternaryWgsl(v, c);
        expect(code, v.id).not.toMatch(LEFTOVERS);
        for (const name of v.inputs) expect(code.split(`${bindingName(name)}[index]`).length - 1, `${v.id} reads ${name}`).toBe(1);
        expect(code).toContain('if (index < uniforms.size)');
        expect(code).toContain(`// ${v.id}:`);
      }
    }
  });

  it('uses vec4<i32> constants for 4 trits per invocation', () => {
    const v = variantOf({ kernel: 'TernaryBinary', op: 'tadd' });
    expect(ternaryWgsl(v, 4)).toContain('vec4<i32>(-1)');
    expect(ternaryWgsl(v, 1)).toContain('i32(-1)');
    expect(ternaryWgsl(v, 1)).not.toContain('vec4');
  });

  it('gives every variant its own pipeline key, vec4 only when the size allows', () => {
    const keys = allVariants().map((v) => new TernaryProgram(v, 1024).shaderKey);
    expect(new Set(keys).size).toBe(25);
    const v = variantOf({ kernel: 'TernaryUnary', op: 'tnot' });
    expect(new TernaryProgram(v, 1024).outputComponent).toBe(4);
    expect(new TernaryProgram(v, 1023).outputComponent).toBe(1);
    expect(new TernaryProgram(v, 1023).shaderKey).not.toBe(new TernaryProgram(v, 1024).shaderKey);
  });
});

/** The WGSL erfc, run as JavaScript: its arithmetic maps one to one (let → const, select → ?:). */
function erfcFromWgsl(): (x: number) => number {
  const body = ERFC_WGSL.slice(ERFC_WGSL.indexOf('{') + 1, ERFC_WGSL.lastIndexOf('}'))
    .replace(/\blet /g, 'const ')
    .replace(/abs\(/g, 'Math.abs(')
    .replace(/exp\(/g, 'Math.exp(')
    .replace(/select\(([^,]+), ([^,]+), ([^)]+)\)/, '(($3) ? ($2) : ($1))');
  return new Function('x', body) as (x: number) => number;
}

describe('linear-activation WGSL', () => {
  it('prints an epilogue for each activation and leaves nothing unexpanded', () => {
    for (const activation of ACTIVATIONS) {
      for (const [vec4A, vec4B] of [[true, true], [false, false], [true, false]] as const) {
        const code = linearActWgsl({ activation, vec4A, vec4B });
        expect(code).not.toMatch(LEFTOVERS);
        expect(code).toContain('result[r * N + c] = act(acc[i][j] + Bias[c]);');
      }
    }
    expect(linearActWgsl({ activation: 'relu', vec4A: true, vec4B: true })).toContain('return max(x, 0.0);');
    expect(linearActWgsl({ activation: 'silu', vec4A: true, vec4B: true })).toContain('return x / (1.0 + exp(-x));');
    expect(linearActWgsl({ activation: 'gelu', vec4A: true, vec4B: true })).toContain('0.5 * x * fb_erfc(-0.7071067811865476 * x)');
    expect(linearActWgsl({ activation: 'linear', vec4A: true, vec4B: true })).not.toContain('fb_erfc');
    expect(linearActWgsl({ activation: 'gelu_tanh', vec4A: true, vec4B: true })).not.toMatch(/fb_erfc|tanh\(/);
  });

  it('prints gelu_tanh as x·sigmoid(2u), equal to the contract formula 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))', () => {
    const src = ACTIVATION_WGSL.gelu_tanh;
    const expr = src.slice(src.indexOf('return ') + 7, src.lastIndexOf(';'));
    const printed = new Function('x', `return ${expr.replace(/exp\(/g, 'Math.exp(')};`) as (x: number) => number;
    const contract = (x: number): number => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    for (let x = -8; x <= 8; x += 0.01) {
      expect(Math.abs(printed(x) - contract(x)), `x = ${x}`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(x)));
    }
    // tails: no NaN where exp overflows or x³ does
    for (const x of [-1e4, -100, -30, 30, 100, 1e4, 1e20, -1e20]) expect(Number.isNaN(printed(x)), `x = ${x}`).toBe(false);
    expect(printed(-100)).toBeCloseTo(0, 30);
    expect(printed(100)).toBe(100);
  });

  it("GELU's erfc (as printed) is within 1.3e-7 relative of erfc on [-6, 9]", () => {
    const printed = erfcFromWgsl();
    let worst = 0;
    for (let x = -6; x <= 9; x += 0.01) {
      const want = erfc(x);
      worst = Math.max(worst, Math.abs(printed(x) - want) / want);
    }
    expect(worst).toBeLessThan(1.3e-7);
    // and the reference itself is right where values are known
    expect(erfc(0)).toBe(1);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 15);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 12);
  });

  it('bakes the activation and the load widths into the pipeline key', () => {
    const keys = new Set(ACTIVATIONS.flatMap((a) => [new LinearActProgram(8, 8, 8, a), new LinearActProgram(8, 7, 9, a)].map((p) => p.shaderKey)));
    expect(ACTIVATIONS).toEqual(['linear', 'relu', 'gelu', 'gelu_tanh', 'silu']);
    expect(keys.size).toBe(10);
    const p = new LinearActProgram(100, 50, 67, 'gelu');
    expect(p.dispatch).toEqual([2, 2, 1]);
    expect(p.variableComponents).toEqual([1, 1, 1]);
    expect(new LinearActProgram(100, 64, 68, 'gelu').variableComponents).toEqual([4, 4, 1]);
  });
});

describe('LayerNorm and SDPA WGSL', () => {
  it('sizes the LayerNorm workgroup to the row (about 4 vec4 per invocation when D % 4 = 0) and caches up to 16 values per invocation', () => {
    expect(layerNormShape(4)).toEqual({ workgroup: 32, perInvocation: 1, components: 4 });
    expect(layerNormShape(50)).toEqual({ workgroup: 64, perInvocation: 1, components: 1 });
    expect(layerNormShape(768)).toEqual({ workgroup: 64, perInvocation: 3, components: 4 });
    expect(layerNormShape(4096)).toEqual({ workgroup: 256, perInvocation: 4, components: 4 });
    expect(layerNormShape(4099)).toEqual({ workgroup: 256, perInvocation: 0, components: 1 });
    expect(layerNormShape(16384)).toEqual({ workgroup: 256, perInvocation: 16, components: 4 });
    expect(layerNormShape(16388)).toEqual({ workgroup: 256, perInvocation: 0, components: 4 });
    for (const d of [4, 50, 768, 4099, 16388]) {
      const code = layerNormWgsl(layerNormShape(d));
      expect(code).not.toMatch(LEFTOVERS);
      expect(code).toContain('inverseSqrt(variance + uniforms.epsilon)');
      // two-pass variance: Σ(x − mean)², never E[x²] − mean²
      expect(code).toMatch(/let d = (xs\[p\]|X\[base \+ i\]) - (mean|vec4<f32>\(mean\)); sq \+= (d \* d|dot\(d, d\));/);
    }
    expect(layerNormWgsl(layerNormShape(4099))).not.toContain('var xs');
  });

  it('tiles the SDPA row kernel\'s keys to fit 16 KiB and rejects a head dimension that cannot fit', () => {
    expect(sdpaRowShape(64)).toEqual({ d: 64, components: 4, keysPerTile: 32 });
    expect(sdpaRowShape(128)).toEqual({ d: 128, components: 4, keysPerTile: 16 });
    expect(sdpaRowShape(33)).toEqual({ d: 33, components: 1, keysPerTile: 32 });
    expect(sdpaRowShape(1000)).toEqual({ d: 1000, components: 4, keysPerTile: 2 });
    expect(() => sdpaRowShape(3000)).toThrow(/FusebenchSDPA: head dimension D = 3000 is too large/);
    for (const d of [3, 33, 64, 128, 600, 1000, 2048]) {
      const s = sdpaRowShape(d);
      expect(s.keysPerTile * 2 * d * 4, `D=${d}`).toBeLessThanOrEqual(16384);
      const code = sdpaRowWgsl(s);
      expect(code).not.toMatch(LEFTOVERS);
      // online softmax: one rescale per tile, no score matrix in global memory
      expect(code).toContain('let corr = exp(m - mNew);');
      expect(code).not.toMatch(/result\[[^\]]*\]\s*=\s*s\b/);
    }
  });

  it('sizes the tiled SDPA kernel\'s key tile to the workgroup memory, capped at 32 KiB', () => {
    const pick = (d: number, budget: number): [number, number] | null => {
      const t = sdpaTiling(d, budget);
      return t ? [t.keysPerTile, t.tileStride] : null;
    };
    // D = 64: 16·64 (Q) + 64·17·4 (K/V tile, stride 17 vec4) + 16·64 (p) + 16·16 (partial max / sums) = 6656 floats.
    expect(pick(64, 32768)).toEqual([64, 17]);
    expect(sdpaTiling(64, 32768)!.workgroupBytes).toBe(6656 * 4);
    expect(pick(64, 49152)).toEqual(pick(64, TILED_MAX_BUDGET_BYTES));
    expect(pick(32, 32768)).toEqual([64, 9]);
    expect(pick(128, 32768)).toEqual([32, 33]);
    expect(pick(64, 16384)).toEqual([32, 17]);
    expect(pick(128, 16384)).toBeNull();
    expect(pick(33, 16384)).toEqual([64, 33]);
    expect(pick(200, 32768)).toEqual([16, 51]);
    expect(pick(236, 32768)).toEqual([16, 59]);
    expect(pick(256, 32768)).toBeNull();
    expect(pick(600, 49152)).toBeNull();
    for (const d of [1, 3, 4, 33, 40, 64, 128, 200, 236]) {
      for (const budget of [16384, 32768, 49152]) {
        const t = sdpaTiling(d, budget);
        if (!t) continue;
        expect(t.workgroupBytes, `D=${d}`).toBeLessThanOrEqual(Math.min(budget, TILED_MAX_BUDGET_BYTES));
        expect(t.tileStride % 2, `D=${d}: odd stride`).toBe(1);
        expect(t.tileStride).toBeGreaterThanOrEqual(d / t.components);
        expect(t.keysPerTile % 16, `D=${d}: whole keys per invocation`).toBe(0);
        const code = sdpaTiledWgsl(t);
        expect(code).not.toMatch(LEFTOVERS);
        expect(code).toContain('let corr = exp(m[h] - mNew);');
        // the only store to the output is acc / l
        expect(code.match(/result\[/g)).toHaveLength(1);
        expect(code).toContain('result[base + row * D4 + dd] = acc[h][g] * inv;');
        // Dawn on Vulkan zeroes a loop-local var once: every function-scope var has an initializer
        expect(code).not.toMatch(/var [a-z]\w* : [^=;]*;/);
      }
    }
  });

  it('runs the tiled SDPA kernel where it fits and the row kernel beyond', () => {
    expect(sdpaProgram(12, 512, 64, 49152)).toBeInstanceOf(SdpaTiledProgram);
    expect(sdpaProgram(12, 512, 64, 49152, {})).toBeInstanceOf(SdpaTiledProgram);
    expect(sdpaProgram(12, 512, 64, 49152, {}).dispatch).toEqual([32, 12, 1]);
    expect(sdpaProgram(1, 10, 600, 49152, {})).toBeInstanceOf(SdpaRowProgram);
    expect(sdpaProgram(12, 512, 64, 49152, { rows: true })).toBeInstanceOf(SdpaRowProgram);
    expect(sdpaProgram(1, 10, 200, 16384, {})).toBeInstanceOf(SdpaRowProgram);
    expect(sdpaProgram(1, 10, 200, 32768, {})).toBeInstanceOf(SdpaTiledProgram);
    expect(sdpaProgram(1, 10, 256, 32768, {})).toBeInstanceOf(SdpaRowProgram);
    // FUSEBENCH_WEBGPU_SDPA picks the default; a bad value names the variable
    expect(defaultSdpaChoice({})).toEqual({});
    expect(defaultSdpaChoice({ FUSEBENCH_WEBGPU_SDPA: 'tiled' })).toEqual({});
    expect(defaultSdpaChoice({ FUSEBENCH_WEBGPU_SDPA: 'rows' })).toEqual({ rows: true });
    expect(() => defaultSdpaChoice({ FUSEBENCH_WEBGPU_SDPA: 'row' })).toThrow(/FUSEBENCH_WEBGPU_SDPA must be 'tiled', 'rows' or 'blocked' \(got "row";/);
    const keys = [sdpaProgram(1, 8, 64, 16384, {}), sdpaProgram(1, 8, 64, 32768, {}), sdpaProgram(1, 8, 64, 32768, { rows: true })].map((p) => p.shaderKey);
    expect(new Set(keys).size).toBe(3);
  });

  it('prints QKᵀ+softmax for vec4 and scalar loads and stores, normalising only what each invocation stored', () => {
    for (const vec4In of [true, false]) {
      for (const vec4Out of [true, false]) {
        const code = qktSoftmaxWgsl({ vec4In, vec4Out });
        expect(code).not.toMatch(LEFTOVERS);
        // scores stored once, then rewritten in place as exp(s − M)/L
        expect(code.match(/result\[[^\]]*\] = /g)).toHaveLength(vec4Out ? 2 : 2);
        expect(code).toMatch(/exp\(result\[o\] - (vec4<f32>\()?M\[i\]\)?\) \* invL\[i\]/);
        expect(code).toContain(vec4In ? 'v = Q[(base + gr * D + d0 + kq) / 4]' : 'v = Q[base + gr * D + d0 + kk]');
      }
    }
    const p = new QktSoftmaxProgram(12, 130, 33);
    expect(p.dispatch).toEqual([5, 12, 1]);
    expect([p.variableComponents, p.outputComponent]).toEqual([[1, 1], 1]);
    const q = new QktSoftmaxProgram(12, 128, 64);
    expect([q.variableComponents, q.outputComponent]).toEqual([[4, 4], 4]);
    expect(p.shaderKey).not.toBe(q.shaderKey);
  });

  it('prints Add+ReLU for both widths', () => {
    expect(addReluWgsl(4)).toContain('max(A[index] + B[index], vec4<f32>(0.0))');
    expect(addReluWgsl(1)).toContain('max(A[index] + B[index], 0.0)');
  });
});

describe('WGSL loop-local variables (Dawn on Vulkan zeroes them once, not per iteration)', () => {
  it('finds a var without an initializer in a loop body, and only there', () => {
    expect(loopLocalVarsWithoutInitializer('for (var t = 0; t < n; t++) { var acc : array<f32, 2>; acc[0] += 1.0; }')).toEqual(['var acc : array<f32, 2>;']);
    expect(loopLocalVarsWithoutInitializer('loop { if (x) { var s : f32; } }')).toEqual(['var s : f32;']);
    // outside any loop, with an initializer, a loop counter, workgroup memory, or after the loop closed: fine
    expect(loopLocalVarsWithoutInitializer('var acc : array<f32, 2>; for (var t = 0; t < n; t++) { acc[0] = 0.0; var m = 1.0; } var z : f32;')).toEqual([]);
    expect(loopLocalVarsWithoutInitializer('var<workgroup> Ks : array<f32, 64>; fn f() { for (var i = 0; i < 4; i++) { let y = i; } }')).toEqual([]);
  });

  it('no fusebench WGSL kernel declares one', () => {
    const sources: Array<[string, string]> = [
      ...allVariants().map((v) => [v.id, ternaryWgsl(v, 4)] as [string, string]),
      ...ACTIVATIONS.map((a) => [`linear ${a}`, linearActWgsl({ activation: a, vec4A: true, vec4B: true })] as [string, string]),
      ...[4, 50, 768, 4099, 16388].map((d) => [`layerNorm ${d}`, layerNormWgsl(layerNormShape(d))] as [string, string]),
      ...[33, 64, 600].map((d) => [`sdpa rows ${d}`, sdpaRowWgsl(sdpaRowShape(d))] as [string, string]),
      ...[[33, 16384], [64, 32768], [128, 32768], [236, 32768]].map(([d, b]) => [`sdpa tiled ${d}`, sdpaTiledWgsl(sdpaTiling(d!, b!)!)] as [string, string]),
      ...[true, false].map((v) => [`qktSoftmax vec4=${v}`, qktSoftmaxWgsl({ vec4In: v, vec4Out: v })] as [string, string]),
      ['addRelu', addReluWgsl(4)],
    ];
    for (const [name, code] of sources) expect(loopLocalVarsWithoutInitializer(code), name).toEqual([]);
  });
});
