/**
 * FusebenchSDPA on tfjs-backend-cpu: softmax(q·kᵀ·scale)·v, one block of query rows at a time.
 *
 * For each head and block of query rows (a multiple of tfjs-cpu's 48-row blocking): the block's scores are
 * computed by tfjs-cpu's own BatchMatMul kernel (transposeB, as the unfused `matMul(q, k, false, true)`),
 * scaled and softmaxed in place while in cache, then multiplied by v with the same kernel, and the result is
 * copied into the output (common/cpu_blocks.ts). The S × S scores and probabilities of the unfused sequence
 * (matMul, mul, softmax, matMul) are never materialised; the GEMMs are the unfused ones, block by block.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { SDPA } from '../names.ts';
import { softmaxRowsInPlace } from '../common/softmax_rows.ts';
import { CPU_BLOCK_FLOATS, cpuView, release, runCpu } from '../common/cpu_blocks.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

export function sdpaCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const q = requireInput(inputs, 'q', SDPA);
  const k = requireInput(inputs, 'k', SDPA);
  const v = requireInput(inputs, 'v', SDPA);
  const { bh, s, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(attrs?.scale, d, SDPA);
  const [qv, kv, vv] = [cpuValues(backend, q, SDPA, 'q'), cpuValues(backend, k, SDPA, 'k'), cpuValues(backend, v, SDPA, 'v')];
  const out = new Float32Array(bh * s * d);
  const block = backend.blockSize * Math.max(1, Math.floor(CPU_BLOCK_FLOATS / (backend.blockSize * s)));
  for (let h = 0; h < bh; h++) {
    const base = h * s * d;
    const kh = cpuView(backend, kv, base, [1, s, d]);
    const vh = cpuView(backend, vv, base, [1, s, d]);
    for (let i0 = 0; i0 < s; i0 += block) {
      const rows = Math.min(block, s - i0);
      const qBlock = cpuView(backend, qv, base + i0 * d, [1, rows, d]);
      const scores = runCpu(backend, 'BatchMatMul', { a: qBlock, b: kh }, { transposeA: false, transposeB: true });
      softmaxRowsInPlace(scores.values, 0, rows, s, scale);
      const y = runCpu(backend, 'BatchMatMul', { a: scores.info, b: vh }, { transposeA: false, transposeB: false });
      out.set(y.values, base + i0 * d);
      release(backend, qBlock, scores.info, y.info);
    }
    release(backend, kh, vh);
  }
  return cpuOutput(backend, [bh, s, d], out);
}

export const sdpaCpuConfig: KernelConfig = { kernelName: SDPA, backendName: 'cpu', kernelFunc: sdpaCpu as unknown as KernelFunc };
