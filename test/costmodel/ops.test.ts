import { describe, expect, it } from 'vitest';
import { canonicalOp, resolvePattern } from '../../harness/costmodel/ops.ts';

const CATALOGUE = [
  'Linear_Bias', 'Linear_Bias_ReLU', 'Linear_Bias_GELU', 'Linear_Bias_SiLU', 'MLP_2Layer', 'Conv2d_ReLU', 'Conv2d_BN',
  'Conv2d_BN_ReLU', 'DepthwiseConv2d_BN_ReLU', 'QKT', 'QKT_Softmax', 'Attention_SDPA', 'LayerNorm', 'Add_ReLU',
];

describe('op lists map to pattern ids', () => {
  it.each([
    [['Conv2d', 'BN'], 'Conv2d_BN'],
    [['conv2d', 'BatchNorm', 'relu'], 'Conv2d_BN_ReLU'],
    [['Conv2D', 'FusedBatchNormV3', 'Relu'], 'Conv2d_BN_ReLU'],
    [['DepthwiseConv2dNative', 'batch_norm', 'ReLU'], 'DepthwiseConv2d_BN_ReLU'],
    [['Linear', 'Bias'], 'Linear_Bias'],
    [['MatMul', 'BiasAdd'], 'Linear_Bias'],
    [['MatMul', 'BiasAdd', 'Relu'], 'Linear_Bias_ReLU'],
    [['MatMul', 'Add', 'Gelu'], 'Linear_Bias_GELU'],
    [['Dense', 'Swish'], 'Linear_Bias_SiLU'],
    [['Linear', 'ReLU', 'Linear'], 'MLP_2Layer'],
    [['Transpose', 'MatMul'], 'QKT'],
    [['QKT', 'Softmax'], 'QKT_Softmax'],
    [['Transpose', 'MatMul', 'Softmax', 'MatMul'], 'Attention_SDPA'],
    [['SDPA'], 'Attention_SDPA'],
    [['LayerNormalization'], 'LayerNorm'],
    [['Add', 'Relu'], 'Add_ReLU'],
  ] as const)('%j → %s', (ops, id) => {
    expect(resolvePattern(ops, CATALOGUE)).toBe(id);
  });

  it('ids resolve to themselves, without regard to case; "A+B" strings are op lists', () => {
    expect(resolvePattern('Conv2d_BN', CATALOGUE)).toBe('Conv2d_BN');
    expect(resolvePattern('conv2d_bn', CATALOGUE)).toBe('Conv2d_BN');
    expect(resolvePattern('Conv+BN', CATALOGUE)).toBe('Conv2d_BN');
  });

  it('only ids the profile holds are answered', () => {
    expect(resolvePattern(['Conv2d', 'BN'], ['Linear_Bias'])).toBeUndefined();
    expect(resolvePattern('Conv2d_BN', [])).toBeUndefined();
  });

  it('sequences that are no catalogue pattern resolve to nothing', () => {
    // a bare MatMul has no bias, so MatMul+ReLU is not Linear_Bias_ReLU
    expect(resolvePattern(['MatMul', 'Relu'], CATALOGUE)).toBeUndefined();
    expect(resolvePattern(['BN', 'Conv2d'], CATALOGUE)).toBeUndefined();
    expect(resolvePattern([], CATALOGUE)).toBeUndefined();
  });

  it('unknown op names keep their spelling, so user patterns (e.g. ternary ops) match by plain join', () => {
    expect(canonicalOp('tadd')).toBe('tadd');
    expect(resolvePattern(['TAdd', 'TNot'], ['TAdd_TNot'])).toBe('TAdd_TNot');
  });
});
