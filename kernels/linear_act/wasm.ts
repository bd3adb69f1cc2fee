/**
 * FusebenchLinearAct on tfjs-backend-wasm: act(a·b + bias).
 *
 * The GEMM is the backend's own XNNPACK fully-connected operator (the one its MatMul and _FusedMatMul use for
 * 2-D inputs), with the bias in its epilogue. ReLU is XNNPACK's output clamp, so 'linear' and 'relu' are one
 * XNNPACK call. GELU and SiLU, which neither XNNPACK's clamp nor tfjs's fused matMul offer, are applied by this
 * kernel block by block: XNNPACK computes a block of rows (about 512 KiB of output), then a generated WebAssembly
 * SIMD function (common/wasm_simd.ts: f32x4 exp and A&S erf) applies the activation to that block in place while
 * it is still in cache. The pre-activation never makes a separate trip to memory and no intermediate tensor is
 * allocated.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { LINEAR_ACT } from '../names.ts';
import { ACT_GELU, ACT_GELU_TANH, ACT_LINEAR, ACT_RELU, activateRange, activationCode } from '../common/activation.ts';
import { asWasmBackend, heapF32, heapMatMul, tensorData, WASM_ACT_LINEAR, WASM_ACT_RELU } from '../common/wasm_heap.ts';
import { simdKernelsFor } from '../common/wasm_simd.ts';
import { linearActDims, requireInput } from '../common/shape_checks.ts';

/**
 * Output floats per block: 512 KiB, inside a 2 MiB L2. Each XNNPACK call streams the packed weights once, so
 * smaller blocks re-stream the weights more often, and larger ones push the block out of L2 before the
 * epilogue reads it.
 */
const EPILOGUE_BLOCK_FLOATS = 128 * 1024;

export function linearActWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const w = asWasmBackend(args.backend, LINEAR_ACT);
  const a = requireInput(args.inputs, 'a', LINEAR_ACT);
  const b = requireInput(args.inputs, 'b', LINEAR_ACT);
  const bias = requireInput(args.inputs, 'bias', LINEAR_ACT);
  const { m, k, n } = linearActDims(a, b, bias, LINEAR_ACT);
  const act = activationCode(args.attrs?.activation, LINEAR_ACT);

  const out = w.makeOutput([m, n], 'float32');
  const ad = tensorData(w, a, LINEAR_ACT);
  const bd = tensorData(w, b, LINEAR_ACT);
  const biasId = tensorData(w, bias, LINEAR_ACT).id;
  const od = tensorData(w, out, LINEAR_ACT);
  const weights = { byteOffset: bd.memoryOffset, rows: k, cols: n, id: bd.id };

  if (act === ACT_LINEAR || act === ACT_RELU) {
    heapMatMul(w, { byteOffset: ad.memoryOffset, rows: m, cols: k, id: ad.id }, weights,
      { byteOffset: od.memoryOffset, rows: m, cols: n, id: od.id }, false, biasId, act === ACT_RELU ? WASM_ACT_RELU : WASM_ACT_LINEAR);
    return out;
  }
  const simd = simdKernelsFor(args.backend, LINEAR_ACT);
  // gelu_tanh has no SIMD function yet: it runs in JavaScript over the same cache-hot block of the wasm heap.
  const jsGeluTanh = (ptr: number, count: number): void => activateRange(heapF32(w), ptr / 4, ptr / 4 + count, ACT_GELU_TANH);
  const epilogue = act === ACT_GELU ? simd.gelu : act === ACT_GELU_TANH ? jsGeluTanh : simd.silu;
  const rowsPerBlock = Math.max(1, Math.floor(EPILOGUE_BLOCK_FLOATS / n));
  for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - r0);
    const outOffset = od.memoryOffset + r0 * n * 4;
    heapMatMul(w, { byteOffset: ad.memoryOffset + r0 * k * 4, rows, cols: k }, weights, { byteOffset: outOffset, rows, cols: n }, false, biasId, WASM_ACT_LINEAR);
    epilogue(outOffset, rows * n);
  }
  return out;
}

export const linearActWasmConfig: KernelConfig = {
  kernelName: LINEAR_ACT,
  backendName: 'wasm',
  kernelFunc: linearActWasm as unknown as KernelFunc,
};
