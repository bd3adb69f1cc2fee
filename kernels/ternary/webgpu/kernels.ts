/**
 * The WebGPU implementations of the ternary kernels and of the copy yardstick: one program class for all
 * 25 variants, its WGSL printed from the op table (codegen.ts), its pipeline cached by tfjs per variant.
 *
 * Value validation (trits only) needs the values on the host. Inputs still on the host (fresh from
 * `tf.tensor`, not yet uploaded) are checked exactly as on cpu; inputs already resident on the GPU (the
 * output of an earlier GPU op) are not, because reading them back would stall the queue inside a kernel.
 * dtype and shape are always checked.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { KERNEL_INPUTS, TERNARY_KERNEL_NAMES, variantAttrs, variantOf, type KernelVariant, type TernaryKernelName } from '../spec.ts';
import { FUSEBENCH_COPY } from '../../names.ts';
import { checkInputs, checkTrits, shouldValidate } from '../validate.ts';
import { asWebGPUBackend, FLAT_MAIN, flatDispatch, sizeOf, type WebGPUProgram } from '../../common/webgpu_program.ts';
import { bindingName, ternaryWgsl, type TernaryComponents } from './codegen.ts';

const WORKGROUP_X = 256;

export class TernaryProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP_X, 1, 1];
  outputComponent: number;
  size = true;
  private readonly variant: KernelVariant;
  private readonly components: TernaryComponents;

  constructor(variant: KernelVariant, n: number) {
    this.variant = variant;
    this.components = n % 4 === 0 ? 4 : 1;
    this.outputComponent = this.components;
    this.variableNames = variant.inputs.map(bindingName);
    this.outputShape = [n];
    this.dispatch = flatDispatch(n, this.components, WORKGROUP_X);
    this.shaderKey = `fusebench_${variant.id}_${this.components}`;
  }

  getUserCode(): string {
    return ternaryWgsl(this.variant, this.components);
  }
}

/** A flat copy: the memory-bound yardstick (4 bytes read + 4 written per element). */
export class CopyProgram implements WebGPUProgram {
  variableNames = ['X'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP_X, 1, 1];
  outputComponent: number;
  size = true;

  constructor(n: number) {
    this.outputComponent = n % 4 === 0 ? 4 : 1;
    this.outputShape = [n];
    this.dispatch = flatDispatch(n, this.outputComponent, WORKGROUP_X);
    this.shaderKey = `fusebench_copy_${this.outputComponent}`;
  }

  getUserCode(): string {
    return `
  ${FLAT_MAIN} {
    if (index < uniforms.size) { result[index] = X[index]; }
  }`;
  }
}

const flat = (t: TensorInfo, n: number): TensorInfo => ({ dataId: t.dataId, shape: [n], dtype: t.dtype });

export function webgpuTernaryKernelFunc(kernel: TernaryKernelName): KernelFunc {
  const names = KERNEL_INPUTS[kernel];
  return ({ inputs, backend, attrs }) => {
    const gpu = asWebGPUBackend(backend, kernel);
    const infos = names.map((n) => (inputs as Record<string, TensorInfo | undefined>)[n]);
    checkInputs(kernel, names, infos);
    const variant = variantOf(variantAttrs(kernel, attrs as Record<string, unknown>));
    if (shouldValidate(attrs as Record<string, unknown>)) {
      infos.forEach((t, i) => {
        const host = gpu.tensorMap.get(t!.dataId)?.values;
        if (host instanceof Int32Array) checkTrits(host, `${kernel}(${variant.id})`, names[i]!);
      });
    }
    const shape = [...infos[0]!.shape];
    const n = sizeOf(shape);
    const out = gpu.runWebGPUProgram(new TernaryProgram(variant, n), infos.map((t) => flat(t!, n)), 'int32');
    return { dataId: out.dataId, shape, dtype: 'int32' };
  };
}

const copyKernelFunc: KernelFunc = ({ inputs, backend }) => {
  const gpu = asWebGPUBackend(backend, FUSEBENCH_COPY);
  const x = (inputs as Record<string, TensorInfo | undefined>).x;
  if (!x) throw new Error(`${FUSEBENCH_COPY}: input "x" is missing`);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`${FUSEBENCH_COPY}: input "x" has dtype ${x.dtype}; float32 or int32 is required`);
  const n = sizeOf(x.shape);
  const out = gpu.runWebGPUProgram(new CopyProgram(n), [flat(x, n)], x.dtype);
  return { dataId: out.dataId, shape: [...x.shape], dtype: x.dtype };
};

/** The family's four kernels and the copy yardstick on this backend (listed in kernels/register_<backend>.ts). */
export const ternaryWebgpuConfigs: KernelConfig[] = [
  ...TERNARY_KERNEL_NAMES.map((k) => ({ kernelName: k, backendName: 'webgpu', kernelFunc: webgpuTernaryKernelFunc(k) })),
  { kernelName: FUSEBENCH_COPY, backendName: 'webgpu', kernelFunc: copyKernelFunc },
];
