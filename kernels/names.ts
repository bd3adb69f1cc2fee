/**
 * Kernel names of fusebench's own kernels: the contract between suites (through kernels/ops.ts and
 * kernels/ternary/ops.ts) and every backend's implementation. Semantics are in kernels/README.md. Every
 * file that names one of these kernels imports the name from here; none types it again.
 */
export const LINEAR_ACT = 'FusebenchLinearAct';
export const LAYER_NORM = 'FusebenchLayerNorm';
export const ADD_RELU = 'FusebenchAddRelu';
export const SDPA = 'FusebenchSDPA';
export const QKT_SOFTMAX = 'FusebenchQKTSoftmax';
export const CONV2D_ACT = 'FusebenchConv2DAct';
export const DEPTHWISE_CONV2D_ACT = 'FusebenchDepthwiseConv2DAct';

/** The ternary family (kernels/ternary/): four kernels generated from one op table, plus the copy yardstick. */
export const TERNARY_UNARY = 'TernaryUnary';
export const TERNARY_BINARY = 'TernaryBinary';
export const TERNARY_NOT_BINARY = 'TernaryNotBinary';
export const TERNARY_FUSED3 = 'TernaryFused3';
/** A fresh copy of x: the memory-bound yardstick the ternary reports compare against. */
export const FUSEBENCH_COPY = 'FusebenchCopy';
