/**
 * FusebenchAddRelu on tfjs-backend-wasm: max(a + b, 0) in one pass, by a generated WebAssembly SIMD loop
 * (common/wasm_simd.ts) running on the backend's heap: f32x4 add and max per 4 elements, the same vector
 * width as the backend's own Add and Relu kernels, so the comparison is one pass against two.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ADD_RELU } from '../names.ts';
import { asWasmBackend, tensorData } from '../common/wasm_heap.ts';
import { simdKernelsFor } from '../common/wasm_simd.ts';
import { requireInput, sameShape } from '../common/shape_checks.ts';

export function addReluWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown }): TensorInfo {
  const w = asWasmBackend(args.backend, ADD_RELU);
  const a = requireInput(args.inputs, 'a', ADD_RELU);
  const b = requireInput(args.inputs, 'b', ADD_RELU);
  const size = sameShape(a, b, ADD_RELU);
  const simd = simdKernelsFor(args.backend, ADD_RELU);
  const out = w.makeOutput([...a.shape], 'float32');
  const off = (t: TensorInfo): number => tensorData(w, t, ADD_RELU).memoryOffset;
  simd.add_relu(off(a), off(b), off(out), size);
  return out;
}

export const addReluWasmConfig: KernelConfig = {
  kernelName: ADD_RELU,
  backendName: 'wasm',
  kernelFunc: addReluWasm as unknown as KernelFunc,
};
