/**
 * FusebenchLinearAct on tfjs-backend-cpu: act(a·b + bias), the output written once.
 *
 * Why a kernel of our own: tfjs-backend-cpu's `_FusedMatMul` is not fused. It calls batchMatMul, then add, then
 * applyActivation, each a full pass with its own output buffer (tfjs-backend-cpu 4.22.0
 * src/kernels/_FusedMatMul.ts lines 41–55). Here the GEMM is tfjs-cpu's own BatchMatMul kernel, run on blocks
 * of rows (a multiple of its 48-row blocking, so the arithmetic and its order are the unfused matMul's;
 * common/cpu_blocks.ts), and bias + activation are applied to each block while it is in cache.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { LINEAR_ACT } from '../names.ts';
import { activate, activationCode } from '../common/activation.ts';
import { CPU_BLOCK_FLOATS, cpuView, release, runCpu } from '../common/cpu_blocks.ts';
import { cpuOutput, cpuValues } from '../common/cpu_data.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';

export function linearActCpu(args: { inputs: Record<string, TensorInfo>; backend: MathBackendCPU; attrs?: Record<string, unknown> }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = requireInput(inputs, 'a', LINEAR_ACT);
  const b = requireInput(inputs, 'b', LINEAR_ACT);
  const bias = requireInput(inputs, 'bias', LINEAR_ACT);
  const { m, k, n } = linearActDims(a, b, bias, LINEAR_ACT);
  const act = activationCode(attrs?.activation, LINEAR_ACT);
  // A local binding: under vitest's module runner every use of an imported name is a getter call, and this one
  // runs once per output element.
  const apply = activate;
  const av = cpuValues(backend, a, LINEAR_ACT, 'a');
  const biasV = cpuValues(backend, bias, LINEAR_ACT, 'bias');
  const out = new Float32Array(m * n);
  const rowsPerBlock = backend.blockSize * Math.max(1, Math.floor(CPU_BLOCK_FLOATS / (backend.blockSize * n)));
  for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - r0);
    const aBlock = cpuView(backend, av, r0 * k, [rows, k]);
    const y = runCpu(backend, 'BatchMatMul', { a: aBlock, b }, { transposeA: false, transposeB: false });
    // Epilogue on the cache-hot block: the same float32 steps as the unfused add, then the activation.
    const base = r0 * n;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < n; j++) {
        const e = r * n + j;
        out[base + e] = apply(Math.fround(y.values[e] + biasV[j]), act);
      }
    }
    release(backend, aBlock, y.info);
  }
  return cpuOutput(backend, [m, n], out);
}

export const linearActCpuConfig: KernelConfig = {
  kernelName: LINEAR_ACT,
  backendName: 'cpu',
  kernelFunc: linearActCpu as unknown as KernelFunc,
};
