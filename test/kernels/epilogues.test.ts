/** The pure-JS building blocks: activations and row softmax. */
import { describe, expect, it } from 'vitest';
import { activate, ACT_RELU, activationCode, erfApprox, parseActivation } from '../../kernels/common/activation.ts';
import { softmaxRowsInPlace } from '../../kernels/common/softmax_rows.ts';
import * as ref from '../../harness/core/reference.ts';
import { seededRandom } from '../../harness/core/stats.ts';

const rand = (n: number, seed: number): Float32Array => {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};

describe('activations', () => {
  it('erf matches float64 erf within the A&S bound 1.5e-7', () => {
    for (let x = -6; x <= 6; x += 0.01) expect(Math.abs(erfApprox(x) - ref.erf(x))).toBeLessThan(1.5e-7);
  });

  it('relu keeps NaN and maps -Inf to 0, as tfjs Relu does', () => {
    expect(activate(Number.NaN, ACT_RELU)).toBeNaN();
    expect(activate(-Infinity, ACT_RELU)).toBe(0);
    expect(activate(2, ACT_RELU)).toBe(2);
  });

  it('names a bad activation', () => {
    expect(() => activationCode('swish', 'K')).toThrow(/K: attr "activation" must be/);
  });

  it('FusebenchLinearAct accepts the contract activations (absent is linear, gelu_tanh included) on every backend, and names a bad one', () => {
    expect(parseActivation(undefined, 'K')).toBe('linear');
    expect(parseActivation('gelu_tanh', 'K')).toBe('gelu_tanh');
    expect(() => parseActivation('tanh', 'K')).toThrow(/K: attr "activation" must be one of linear, relu, gelu, gelu_tanh, silu \(got "tanh"\)/);
  });
});

describe('softmaxRowsInPlace', () => {
  it('matches the float64 softmax of scaled rows, large logits included', () => {
    const rows = 3;
    const n = 70;
    const x = rand(rows * n, 9).map((v) => v * 50);
    const want = ref.softmaxRows(ref.scale(Float64Array.from(x), 0.5), rows, n);
    softmaxRowsInPlace(x, 0, rows, n, 0.5);
    for (let i = 0; i < want.length; i++) expect(Math.abs(x[i] - want[i])).toBeLessThan(1e-6);
  });
});
