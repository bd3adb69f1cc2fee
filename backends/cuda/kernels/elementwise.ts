/** tfjs unary and binary element-wise kernels on cuda, all from the one template. */
import type { DataType, KernelConfig, KernelFunc, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { BOOL_OPS, FLOAT_OPS, FLOOR_DIV, INT_OPS, INT_TO_FLOAT_OPS, intViaFloat, type ElementwiseOp } from '../codegen/elementwise.ts';
import { runElementwise } from '../ops/elementwise.ts';
import { complexBinary } from './complex.ts';

export const UNARY_KERNELS = [
  'Relu', 'Relu6', 'Erf', 'Tanh', 'Sigmoid', 'Exp', 'Log', 'Neg', 'Sign', 'Abs', 'Sqrt', 'Rsqrt', 'Square', 'Reciprocal', 'Floor', 'Ceil', 'Elu',
  'LeakyRelu', 'ClipByValue', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Expm1', 'Log1p', 'Softplus',
  'Selu', 'Round', 'Step', 'IsNan', 'IsInf', 'IsFinite', 'LogicalNot',
] as const;
export const BINARY_KERNELS = [
  'Add', 'Sub', 'Multiply', 'RealDiv', 'Minimum', 'Maximum', 'SquaredDifference', 'Pow', 'Prelu', 'Atan2', 'Mod', 'FloorDiv', 'EluGrad', 'BitwiseAnd',
  'Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr',
] as const;

/** Kernels whose result is float32 whatever the input dtype (tfjs-backend-cpu: Exp, LeakyRelu and Prelu write float32). */
const FLOAT_RESULT = new Set(['Exp', 'LeakyRelu', 'Prelu']);

export interface ElementwiseChoice {
  readonly op: ElementwiseOp;
  readonly outDtype: DataType;
}

/**
 * The op and result dtype of a kernel for its input dtype, following tfjs-backend-cpu: float32 inputs give
 * float32; int32 and bool inputs give the input's dtype (computed exactly where INT_OPS has the op, else in
 * float and stored as int32), except the FLOAT_RESULT kernels; comparisons, logical ops and IsNan/IsInf/IsFinite
 * give bool, FloorDiv int32. complex64 and string are not supported.
 */
export function elementwiseFor(name: string, dtype: DataType): ElementwiseChoice {
  const key = name === 'Multiply' ? 'Mul' : name; // tfjs names the product kernel 'Multiply'; the op tables call it Mul
  if (dtype !== 'complex64' && dtype !== 'string') {
    const boolOp = BOOL_OPS[key];
    if (boolOp) return { op: boolOp, outDtype: 'bool' };
    if (key === 'FloorDiv') return { op: FLOOR_DIV, outDtype: 'int32' };
  }
  const float = FLOAT_OPS[key];
  const intToFloat = INT_TO_FLOAT_OPS[key];
  if (intToFloat && (dtype === 'int32' || dtype === 'bool')) return { op: intToFloat, outDtype: 'float32' };
  if (float && (dtype === 'float32' || ((dtype === 'int32' || dtype === 'bool') && FLOAT_RESULT.has(name)))) return { op: float, outDtype: 'float32' };
  if (dtype === 'int32' || dtype === 'bool') {
    const exact = INT_OPS[key];
    if (exact) return { op: exact, outDtype: dtype };
    if (float) return { op: intViaFloat(float), outDtype: dtype };
  }
  throw new Error(`not implemented on cuda: ${name} for dtype ${dtype}`);
}

function params(name: string, attrs: NamedAttrMap | undefined): readonly [number, number?] | undefined {
  if (name === 'LeakyRelu') return [Number(attrs?.alpha ?? 0.2)];
  if (name === 'Step') return [Number(attrs?.alpha ?? 0)];
  if (name === 'ClipByValue') return [Number(attrs?.clipValueMin), Number(attrs?.clipValueMax)];
  return undefined;
}

function unary(name: string): KernelConfig {
  const kernelFunc = (({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { op, outDtype } = elementwiseFor(name, x.dtype);
    return runElementwise(backend as CudaBackend, { name, op, inputs: [x], outDtype, params: params(name, attrs) });
  }) as KernelFunc;
  return { kernelName: name, backendName: 'cuda', kernelFunc };
}

function binary(name: string): KernelConfig {
  const kernelFunc = (({ inputs, backend }) => {
    const [a, b] = name === 'Prelu' ? [inputs.x as TensorInfo, inputs.alpha as TensorInfo]
      : name === 'EluGrad' ? [inputs.dy as TensorInfo, inputs.y as TensorInfo] : [inputs.a as TensorInfo, inputs.b as TensorInfo];
    if ((a.dtype === 'complex64' || b.dtype === 'complex64') && (name === 'Add' || name === 'Sub' || name === 'Multiply')) {
      return complexBinary(backend as CudaBackend, name, a, b);
    }
    // tfjs's ops make the dtypes match before these kernels, except prelu (x and alpha as given; result float32).
    if (a.dtype !== b.dtype && !FLOAT_RESULT.has(name)) throw new Error(`cuda ${name}: inputs have dtypes ${a.dtype} and ${b.dtype}; tfjs upcasts before the kernel`);
    const { op, outDtype } = elementwiseFor(name, a.dtype === 'float32' ? b.dtype : a.dtype);
    return runElementwise(backend as CudaBackend, { name, op, inputs: [a, b], outDtype });
  }) as KernelFunc;
  return { kernelName: name, backendName: 'cuda', kernelFunc };
}

export const elementwiseConfigs: KernelConfig[] = [...UNARY_KERNELS.map(unary), ...BINARY_KERNELS.map(binary)];
