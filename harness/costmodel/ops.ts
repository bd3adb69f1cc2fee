/**
 * Maps an op list, as a graph partitioner sees it (`['Conv2d', 'BN']`, `['MatMul', 'BiasAdd', 'Relu']`),
 * to a pattern id of the catalogue (`Conv2d_BN`, `Linear_Bias_ReLU`). Op names are matched without regard
 * to case through an alias table; the canonical names joined by `_` are then looked up among the ids the
 * profile holds, and a few sequences whose ids are not plain joins are listed explicitly.
 */

/** Lower-cased op name → canonical token used in pattern ids. */
export const OP_ALIASES: Readonly<Record<string, string>> = {
  // A Linear (dense) layer carries its bias, as nn.Linear and ONNX Gemm do; a bare MatMul does not.
  linear: 'Linear', dense: 'Linear', gemm: 'Linear', fc: 'Linear', fullyconnected: 'Linear',
  matmul: 'MatMul', batchmatmul: 'MatMul', batchmatmulv2: 'MatMul',
  bias: 'Bias', biasadd: 'Bias', addbias: 'Bias',
  relu: 'ReLU',
  gelu: 'GELU',
  silu: 'SiLU', swish: 'SiLU',
  conv: 'Conv2d', conv2d: 'Conv2d', convolution: 'Conv2d',
  bn: 'BN', batchnorm: 'BN', batchnorm2d: 'BN', batchnormalization: 'BN', fusedbatchnorm: 'BN', fusedbatchnormv3: 'BN',
  depthwiseconv2d: 'DepthwiseConv2d', depthwiseconv2dnative: 'DepthwiseConv2d', dwconv: 'DepthwiseConv2d', depthwiseconv: 'DepthwiseConv2d',
  softmax: 'Softmax',
  transpose: 'Transpose',
  qkt: 'QKT',
  layernorm: 'LayerNorm', layernormalization: 'LayerNorm',
  add: 'Add', addv2: 'Add', residualadd: 'Add',
  sdpa: 'Attention_SDPA', scaleddotproductattention: 'Attention_SDPA', attention: 'Attention_SDPA',
};

const EPILOGUES = ['ReLU', 'GELU', 'SiLU'] as const;

/** Canonical sequences whose pattern id is not their plain join. */
export const OP_SEQUENCES: Readonly<Record<string, string>> = {
  MatMul_Bias: 'Linear_Bias',
  MatMul_Add: 'Linear_Bias',
  ...Object.fromEntries(EPILOGUES.flatMap((a) => [
    [`MatMul_Bias_${a}`, `Linear_Bias_${a}`],
    [`MatMul_Add_${a}`, `Linear_Bias_${a}`],
    [`Linear_${a}`, `Linear_Bias_${a}`],
  ])),
  Transpose_MatMul: 'QKT',
  Transpose_MatMul_Softmax: 'QKT_Softmax',
  QKT_Softmax_MatMul: 'Attention_SDPA',
  Transpose_MatMul_Softmax_MatMul: 'Attention_SDPA',
  MatMul_Softmax_MatMul: 'Attention_SDPA',
  Linear_ReLU_Linear: 'MLP_2Layer',
  MatMul_Bias_ReLU_MatMul_Bias: 'MLP_2Layer',
  MatMul_Add_ReLU_MatMul_Add: 'MLP_2Layer',
};

/** The canonical token of one op name; unknown names keep their own spelling (fusebench's own ops, user patterns). */
export function canonicalOp(op: string): string {
  const key = op.trim().replace(/[\s_\-.]/g, '').toLowerCase();
  return OP_ALIASES[key] ?? op.trim();
}

function findId(candidate: string, known: readonly string[]): string | undefined {
  const lower = candidate.toLowerCase();
  return known.find((id) => id === candidate) ?? known.find((id) => id.toLowerCase() === lower);
}

/**
 * The pattern id for a pattern id or an op list, among `known` ids; undefined when none matches.
 * A string containing `+` (e.g. `Conv2d+BN`) is read as an op list.
 */
export function resolvePattern(patternOrOps: string | readonly string[], known: readonly string[]): string | undefined {
  if (typeof patternOrOps === 'string') {
    if (!patternOrOps.includes('+')) return findId(patternOrOps.trim(), known);
    return resolvePattern(patternOrOps.split('+'), known);
  }
  if (patternOrOps.length === 0) return undefined;
  const tokens = patternOrOps.map(canonicalOp);
  const joined = tokens.join('_');
  const direct = findId(joined, known);
  if (direct) return direct;
  const viaSequence = OP_SEQUENCES[joined];
  return viaSequence ? findId(viaSequence, known) : undefined;
}

/** How a query is shown in explanations: the id, or the ops joined by `+`. */
export function describeQuery(patternOrOps: string | readonly string[]): string {
  return typeof patternOrOps === 'string' ? patternOrOps : patternOrOps.join('+');
}
