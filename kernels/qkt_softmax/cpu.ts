/**
 * FusebenchQKTSoftmax on tfjs-backend-cpu: softmax(q·kᵀ·scale) → [BH, S, S]. Each block of score rows (a
 * multiple of tfjs-cpu's 48-row blocking) is computed by tfjs-cpu's own BatchMatMul kernel, reading k
 * transposed in place (common/cpu_blocks.ts), then scaled and softmaxed while in cache and stored once into
 * the output. The unfused sequence (transpose, matMul, mul, softmax) writes and re-reads the S × S scores
 * three more times.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { QKT_SOFTMAX } from '../names.ts';
import { softmaxRowsInPlace } from '../common/softmax_rows.ts';
import { CPU_BLOCK_FLOATS, cpuView, release, runCpu } from '../common/cpu_blocks.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

export function qktSoftmaxCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const q = requireInput(inputs, 'q', QKT_SOFTMAX);
  const k = requireInput(inputs, 'k', QKT_SOFTMAX);
  const { bh, s, d } = attentionDims({ q, k }, QKT_SOFTMAX);
  const scale = attentionScale(attrs?.scale, d, QKT_SOFTMAX);
  const qv = cpuValues(backend, q, QKT_SOFTMAX, 'q');
  const kv = cpuValues(backend, k, QKT_SOFTMAX, 'k');
  const out = new Float32Array(bh * s * s);
  const block = backend.blockSize * Math.max(1, Math.floor(CPU_BLOCK_FLOATS / (backend.blockSize * s)));
  for (let h = 0; h < bh; h++) {
    const kh = cpuView(backend, kv, h * s * d, [1, s, d]);
    for (let i0 = 0; i0 < s; i0 += block) {
      const rows = Math.min(block, s - i0);
      const qBlock = cpuView(backend, qv, (h * s + i0) * d, [1, rows, d]);
      const scores = runCpu(backend, 'BatchMatMul', { a: qBlock, b: kh }, { transposeA: false, transposeB: true });
      softmaxRowsInPlace(scores.values, 0, rows, s, scale);
      out.set(scores.values, (h * s + i0) * s);
      release(backend, qBlock, scores.info);
    }
    release(backend, kh);
  }
  return cpuOutput(backend, [bh, s, s], out);
}

export const qktSoftmaxCpuConfig: KernelConfig = { kernelName: QKT_SOFTMAX, backendName: 'cpu', kernelFunc: qktSoftmaxCpu as unknown as KernelFunc };
