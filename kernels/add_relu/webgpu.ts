/**
 * FusebenchAddRelu on WebGPU: max(a + b, 0) in one pass, so the sum never goes to global memory.
 * Bytes: 8 read + 4 written per element (unfused: add writes 4 and relu reads them back, 20 in all).
 * vec4 loads/stores when the size is a multiple of 4, as tfjs's own binary kernels do.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import {
  asWebGPUBackend, FLAT_MAIN, flatDispatch, sizeOf, type WebGPUProgram,
} from '../common/webgpu_program.ts';
import { requireInput, sameShape } from '../common/shape_checks.ts';
import { ADD_RELU } from '../names.ts';

const WORKGROUP_X = 256;

export function addReluWgsl(components: 1 | 4): string {
  const zero = components === 4 ? 'vec4<f32>(0.0)' : '0.0';
  return `
  ${FLAT_MAIN} {
    if (index < uniforms.size) {
      result[index] = max(A[index] + B[index], ${zero});
    }
  }`;
}

export class AddReluProgram implements WebGPUProgram {
  variableNames = ['A', 'B'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP_X, 1, 1];
  outputComponent: number;
  size = true;
  private readonly components: 1 | 4;

  constructor(shape: number[]) {
    const n = sizeOf(shape);
    this.components = n % 4 === 0 ? 4 : 1;
    this.outputComponent = this.components;
    this.outputShape = shape;
    this.dispatchLayout = { x: [0] };
    this.dispatch = flatDispatch(n, this.components, WORKGROUP_X);
    this.shaderKey = `fusebench_add_relu_${this.components}`;
  }

  getUserCode(): string {
    return addReluWgsl(this.components);
  }
}

const addReluKernelFunc: KernelFunc = ({ inputs, backend }) => {
  const gpu = asWebGPUBackend(backend, ADD_RELU);
  const named = inputs as Record<string, TensorInfo | undefined>;
  const a = requireInput(named, 'a', ADD_RELU);
  const b = requireInput(named, 'b', ADD_RELU);
  // Elementwise: every rank runs as one flat vector, so one pipeline serves all shapes.
  const shape = [sameShape(a, b, ADD_RELU)];
  const view = (t: TensorInfo): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });
  const out = gpu.runWebGPUProgram(new AddReluProgram(shape), [view(a), view(b)], 'float32');
  return { dataId: out.dataId, shape: [...a.shape], dtype: 'float32' };
};

export const addReluConfig: KernelConfig = { kernelName: ADD_RELU, backendName: 'webgpu', kernelFunc: addReluKernelFunc };
