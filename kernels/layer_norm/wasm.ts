/**
 * FusebenchLayerNorm on tfjs-backend-wasm: one generated WebAssembly SIMD function (common/wasm_simd.ts) runs
 * on the backend's heap, per row: f32x4 sum, f32x4 sum of squared deviations, then the normalised, scaled and
 * shifted row, the row in cache after its first pass. Same vector width as the backend's own kernels, so the
 * comparison is one kernel against the ten of the unfused ops. tfjs has no fused LayerNorm on any backend.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { LAYER_NORM } from '../names.ts';
import { asWasmBackend, tensorData } from '../common/wasm_heap.ts';
import { simdKernelsFor } from '../common/wasm_simd.ts';
import { layerNormDims, layerNormEpsilon, requireInput } from '../common/shape_checks.ts';

export function layerNormWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }): TensorInfo {
  const w = asWasmBackend(args.backend, LAYER_NORM);
  const x = requireInput(args.inputs, 'x', LAYER_NORM);
  const gamma = requireInput(args.inputs, 'gamma', LAYER_NORM);
  const beta = requireInput(args.inputs, 'beta', LAYER_NORM);
  const { rows, d } = layerNormDims(x, gamma, beta, LAYER_NORM);
  const epsilon = layerNormEpsilon(args.attrs?.epsilon, LAYER_NORM);
  const simd = simdKernelsFor(args.backend, LAYER_NORM);
  const out = w.makeOutput([...x.shape], 'float32');
  const off = (t: TensorInfo): number => tensorData(w, t, LAYER_NORM).memoryOffset;
  if (rows > 0) simd.layer_norm(off(x), off(gamma), off(beta), off(out), rows, d, epsilon);
  return out;
}

export const layerNormWasmConfig: KernelConfig = {
  kernelName: LAYER_NORM,
  backendName: 'wasm',
  kernelFunc: layerNormWasm as unknown as KernelFunc,
};
