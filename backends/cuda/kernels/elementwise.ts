/** tfjs unary and binary element-wise kernels on cuda, all from the one template. */
import type { KernelConfig, KernelFunc, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { FLOAT_OPS, INT_OPS, type ElementwiseOp } from '../codegen/elementwise.ts';
import { runElementwise } from '../ops/elementwise.ts';

export const UNARY_KERNELS = ['Relu', 'Relu6', 'Erf', 'Tanh', 'Sigmoid', 'Exp', 'Log', 'Neg', 'Sign', 'Abs', 'Sqrt', 'Rsqrt', 'Square', 'Reciprocal', 'Floor', 'Ceil', 'Elu', 'LeakyRelu', 'ClipByValue'] as const;
export const BINARY_KERNELS = ['Add', 'Sub', 'Multiply', 'RealDiv', 'Minimum', 'Maximum', 'SquaredDifference', 'Pow', 'Prelu'] as const;

/** The op for a kernel name at a dtype, or a "not implemented" error naming both. */
export function opFor(name: string, dtype: string): ElementwiseOp {
  const table = dtype === 'float32' ? FLOAT_OPS : dtype === 'int32' || dtype === 'bool' ? INT_OPS : undefined;
  // tfjs names the product kernel 'Multiply'; the op table calls it Mul.
  const op = table?.[name === 'Multiply' ? 'Mul' : name];
  if (!op) throw new Error(`not implemented on cuda: ${name} for dtype ${dtype}`);
  return op;
}

function params(name: string, attrs: NamedAttrMap | undefined): readonly [number, number?] | undefined {
  if (name === 'LeakyRelu') return [Number(attrs?.alpha ?? 0.2)];
  if (name === 'ClipByValue') return [Number(attrs?.clipValueMin), Number(attrs?.clipValueMax)];
  return undefined;
}

function unary(name: string): KernelConfig {
  const kernelFunc = (({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    return runElementwise(backend as CudaBackend, { name, op: opFor(name, x.dtype), inputs: [x], outDtype: x.dtype, params: params(name, attrs) });
  }) as KernelFunc;
  return { kernelName: name, backendName: 'cuda', kernelFunc };
}

function binary(name: string): KernelConfig {
  const kernelFunc = (({ inputs, backend }) => {
    const [a, b] = name === 'Prelu' ? [inputs.x as TensorInfo, inputs.alpha as TensorInfo] : [inputs.a as TensorInfo, inputs.b as TensorInfo];
    if (a.dtype !== b.dtype) throw new Error(`cuda ${name}: inputs have dtypes ${a.dtype} and ${b.dtype}; tfjs upcasts before the kernel`);
    return runElementwise(backend as CudaBackend, { name, op: opFor(name, a.dtype), inputs: [a, b], outDtype: a.dtype });
  }) as KernelFunc;
  return { kernelName: name, backendName: 'cuda', kernelFunc };
}

export const elementwiseConfigs: KernelConfig[] = [...UNARY_KERNELS.map(unary), ...BINARY_KERNELS.map(binary)];
