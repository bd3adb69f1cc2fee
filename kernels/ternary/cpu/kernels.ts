/** The cpu (JavaScript) implementations of the ternary kernels and of the copy yardstick. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { KERNEL_INPUTS, TERNARY_KERNEL_NAMES, variantFor, type TernaryKernelName } from '../spec.ts';
import { FUSEBENCH_COPY } from '../../names.ts';
import { checkInputs, checkTrits, shouldValidate } from '../validate.ts';
import { compileJs } from './codegen.ts';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function valuesOf(backend: MathBackendCPU, t: TensorInfo): Int32Array {
  return backend.data.get(t.dataId)!.values as Int32Array;
}

export function cpuKernelFunc(kernel: TernaryKernelName): KernelFunc {
  const names = KERNEL_INPUTS[kernel];
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as MathBackendCPU;
    const infos = names.map((n) => inputs[n] as TensorInfo | undefined);
    checkInputs(kernel, names, infos);
    const variant = variantFor(kernel, attrs as Record<string, unknown>);
    const values = infos.map((t) => valuesOf(cpu, t!));
    if (shouldValidate(attrs as Record<string, unknown>)) values.forEach((v, i) => checkTrits(v, `${kernel}(${variant.attrsText})`, names[i]));
    const shape = infos[0]!.shape;
    const n = sizeOf(shape);
    const out = new Int32Array(n);
    compileJs(variant)(out, ...values, n);
    return cpu.makeTensorInfo(shape, 'int32', out);
  };
}

/** A plain copy: TypedArray.slice is a memcpy of the bytes into a new buffer. */
const copyKernelFunc: KernelFunc = ({ inputs, backend }) => {
  const cpu = backend as MathBackendCPU;
  const x = inputs.x as TensorInfo;
  const values = cpu.data.get(x.dataId)!.values as Int32Array | Float32Array;
  return cpu.makeTensorInfo(x.shape, x.dtype, values.slice());
};

/** The family's four kernels and the copy yardstick on this backend (listed in kernels/register_<backend>.ts). */
export const ternaryCpuConfigs: KernelConfig[] = [
  ...TERNARY_KERNEL_NAMES.map((k) => ({
    kernelName: k, backendName: 'cpu', kernelFunc: cpuKernelFunc(k),
  })),
  { kernelName: FUSEBENCH_COPY, backendName: 'cpu', kernelFunc: copyKernelFunc },
];
