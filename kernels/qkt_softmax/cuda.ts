/**
 * FusebenchQKTSoftmax on cuda: softmax(q·kᵀ·scale) in two launches. One strided-batched cuBLASLt GEMM writes
 * the scores with the scale folded into its alpha; one row-softmax kernel then rewrites them in place, reading
 * each row once into registers (S ≤ 1024) or shared memory (S ≤ 12288). The S×S scores cross device memory
 * once written and once read back — the unfused sequence (transpose, matMul, mul, softmax) moves them 3 more times.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { runMatmul } from '../../backends/cuda/ops/matmul.ts';
import { runSoftmaxRows } from '../../backends/cuda/ops/softmax.ts';
import { QKT_SOFTMAX } from '../names.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

const qktSoftmax: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const ins = inputs as Record<string, TensorInfo>;
  const q = requireInput(ins, 'q', QKT_SOFTMAX), k = requireInput(ins, 'k', QKT_SOFTMAX);
  const { bh, s, d } = attentionDims({ q, k }, QKT_SOFTMAX);
  const scale = attentionScale(attrs?.scale, d, QKT_SOFTMAX);
  if (bh * s === 0) return b.makeOutput([bh, s, s], 'float32');
  const scores = runMatmul(b, { a: q, b: k, transposeA: false, transposeB: true, act: 'none', alpha: scale, name: QKT_SOFTMAX });
  runSoftmaxRows(b, scores, scores, bh * s, s);
  return scores;
};

export const qktSoftmaxCudaConfig: KernelConfig = { kernelName: QKT_SOFTMAX, backendName: 'cuda', kernelFunc: qktSoftmax };
