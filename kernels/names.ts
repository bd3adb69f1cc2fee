/**
 * Kernel names of fusebench's own fused kernels: the contract between suites (through kernels/ops.ts) and
 * every backend's implementation. Semantics are in kernels/README.md.
 */
export const LINEAR_ACT = 'FusebenchLinearAct';
export const LAYER_NORM = 'FusebenchLayerNorm';
export const ADD_RELU = 'FusebenchAddRelu';
export const SDPA = 'FusebenchSDPA';
export const QKT_SOFTMAX = 'FusebenchQKTSoftmax';
export const CONV2D_ACT = 'FusebenchConv2DAct';
export const DEPTHWISE_CONV2D_ACT = 'FusebenchDepthwiseConv2DAct';
