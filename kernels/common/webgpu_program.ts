/**
 * What every fusebench WGSL kernel shares: the tfjs-backend-webgpu program contract and small checks.
 *
 * tfjs-backend-webgpu builds the full shader around our `getUserCode()` (webgpu_program.ts makeShader):
 * a `Uniforms` struct (NAN, INFINITY, `<input>Shape`/`<input>ShapeStrides` per input, `outShape`,
 * `outShapeStrides`, `size` when `program.size`, then `program.uniforms`), one storage binding per input
 * named as in `variableNames`, the output `result`, private copies of the builtins (`localId`,
 * `localIndex`, `workgroupId`, `numWorkgroups`, `globalId`) and an entry point `_start` that calls
 * `main(getGlobalIndex())` when the dispatch layout is flat (only `x`), `main()` otherwise. It caches
 * pipelines by `shaderKey` (extended with ranks, dtypes and workgroup size), so every choice baked into
 * the WGSL text must be part of our `shaderKey`.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export type { WebGPUProgram };

/** A program-defined uniform, in the order of the fields in `program.uniforms`. */
export interface ProgramUniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

/** The header of `main` for a flat dispatch layout; tfjs's `getMainHeaderString('index')` prints the same. */
export const FLAT_MAIN = 'fn main(index : i32)';
/** The header for any other layout (tfjs's `getMainHeaderString()`). */
export const PLAIN_MAIN = 'fn main()';

export class WebGPUKernelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGPUKernelInputError';
  }
}

export function asWebGPUBackend(backend: unknown, kernel: string): WebGPUBackend {
  const b = backend as Partial<WebGPUBackend> | undefined;
  if (!b || typeof b.runWebGPUProgram !== 'function') {
    throw new WebGPUKernelInputError(`${kernel}: the webgpu implementation ran on a backend without runWebGPUProgram`);
  }
  return b as WebGPUBackend;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * A flat elementwise dispatch over `size` elements, `components` per invocation. tfjs reshapes a dispatch
 * wider than maxComputeWorkgroupsPerDimension into 2-D/3-D and `getGlobalIndex()` follows, so `main` must
 * guard `index < uniforms.size`.
 */
export function flatDispatch(size: number, components: number, workgroupX: number): [number, number, number] {
  return [Math.max(1, Math.ceil(size / components / workgroupX)), 1, 1];
}

/**
 * Rejects a 2-D/3-D dispatch that exceeds the device's workgroups per dimension (tfjs folds only flat 1-D
 * dispatches, and otherwise fails with a bare assertion).
 */
export function requireDispatchFits(kernel: string, gpu: WebGPUBackend, dispatch: readonly number[], what: string): void {
  const max = gpu.device.limits.maxComputeWorkgroupsPerDimension;
  if (dispatch.some((n) => n > max)) {
    throw new WebGPUKernelInputError(`${kernel}: ${what} needs ${dispatch.join(' × ')} workgroups; the device allows ${max} per dimension`);
  }
}

/** A tensor info that views `t`'s data with another shape of the same size (tfjs's Reshape does the same). */
export function viewAs(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
