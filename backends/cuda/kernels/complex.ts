/**
 * complex64 on cuda, stored as tfjs-backend-cpu stores it: two float32 tensors (backend.ts makeComplex). Complex,
 * Real, Imag, ComplexAbs, and the complex forms of Add, Sub, Multiply, Cast, Concat, ZerosLike and OnesLike that
 * tfjs-backend-cpu has (its other kernels refuse complex64; tfjs's ops split complex tensors into parts for them).
 */
import { util, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { castOp, FLOAT_OPS } from '../codegen/elementwise.ts';
import { runElementwise } from '../ops/elementwise.ts';
import { runFill } from '../ops/fill.ts';

const copy = (b: CudaBackend, t: TensorInfo): TensorInfo => runElementwise(b, { name: 'Identity', op: { expr: 'a', arity: 1 }, inputs: [t], outDtype: 'float32' });

/** x as float32 parts: a complex tensor's own, or (x as float32, zeros) for a real one. New references. */
export function partsOf(b: CudaBackend, x: TensorInfo): { real: TensorInfo; imag: TensorInfo } {
  if (x.dtype === 'complex64') return b.complexParts(x);
  const real = x.dtype === 'float32' ? b.view(x, x.shape) : runElementwise(b, { name: 'Cast_int32_float32', op: castOp('int32', 'float32'), inputs: [x], outDtype: 'float32' });
  return { real, imag: runFill(b, x.shape, 0, 'float32') };
}

const release = (b: CudaBackend, ...ts: TensorInfo[]): void => { for (const t of ts) b.disposeIntermediate(t); };

/** Add, Sub or Multiply with a complex64 operand, broadcasting as the real kernels (tfjs-backend-cpu's formulas). */
export function complexBinary(b: CudaBackend, name: 'Add' | 'Sub' | 'Multiply', a: TensorInfo, c: TensorInfo): TensorInfo {
  const x = partsOf(b, a), y = partsOf(b, c);
  const bin = (expr: string, inputs: TensorInfo[]): TensorInfo =>
    runElementwise(b, { name: `Complex${name}`, op: { expr, arity: inputs.length as 2 | 3 }, inputs, outDtype: 'float32' });
  let real: TensorInfo, imag: TensorInfo;
  if (name === 'Multiply') {
    // (ar + i·ai)(br + i·bi) = (ar·br − ai·bi) + i·(ar·bi + ai·br)
    const p = bin('(a * b)', [x.imag, y.imag]);
    real = bin('(a * b - c)', [x.real, y.real, p]);
    const q = bin('(a * b)', [x.imag, y.real]);
    imag = bin('(a * b + c)', [x.real, y.imag, q]);
    release(b, p, q);
  } else {
    const op = name === 'Add' ? FLOAT_OPS.Add! : FLOAT_OPS.Sub!;
    real = bin(op.expr, [x.real, y.real]);
    imag = bin(op.expr, [x.imag, y.imag]);
  }
  release(b, x.real, x.imag, y.real, y.imag);
  return b.makeComplex(real, imag, real.shape);
}

/** Cast to or from complex64 (cpu: a real tensor gets zero imaginary parts; complex → other dtypes keeps the real part). */
export function complexCast(b: CudaBackend, x: TensorInfo, dtype: DataType, castReal: (t: TensorInfo) => TensorInfo): TensorInfo {
  if (dtype === 'complex64') {
    if (x.dtype === 'complex64') return b.view(x, x.shape);
    const { real, imag } = partsOf(b, x);
    return b.makeComplex(real, imag, x.shape);
  }
  const { real, imag } = b.complexParts(x);
  const out = castReal(real);
  release(b, real, imag);
  return out;
}

/** Concat of complex64 tensors: the real parts and the imaginary parts concatenated apart. */
export function complexConcat(b: CudaBackend, inputs: readonly TensorInfo[], concatFloat: (ts: TensorInfo[]) => TensorInfo): TensorInfo {
  const parts = inputs.map((t) => partsOf(b, t));
  const real = concatFloat(parts.map((p) => p.real));
  const imag = concatFloat(parts.map((p) => p.imag));
  for (const p of parts) release(b, p.real, p.imag);
  // concat's results are new references (a view when one input remains), which the complex tensor takes over.
  return b.makeComplex(real, imag, real.shape);
}

/** ZerosLike / OnesLike of a complex64 tensor: (0 or 1) + 0i. */
export function complexFill(b: CudaBackend, x: TensorInfo, value: number): TensorInfo {
  return b.makeComplex(runFill(b, x.shape, value, 'float32'), runFill(b, x.shape, 0, 'float32'), x.shape);
}

export const complexConfigs: KernelConfig[] = [
  {
    kernelName: 'Complex',
    backendName: 'cuda',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as CudaBackend;
      const real = inputs.real as TensorInfo, imag = inputs.imag as TensorInfo;
      util.assertShapesMatch(real.shape, imag.shape, 'real and imag shapes');
      return b.makeComplex(copy(b, real), copy(b, imag), real.shape);
    },
  },
  { kernelName: 'Real', backendName: 'cuda', kernelFunc: ({ inputs, backend }) => { const b = backend as CudaBackend; const p = b.complexParts(inputs.input as TensorInfo); b.disposeIntermediate(p.imag); return p.real; } },
  { kernelName: 'Imag', backendName: 'cuda', kernelFunc: ({ inputs, backend }) => { const b = backend as CudaBackend; const p = b.complexParts(inputs.input as TensorInfo); b.disposeIntermediate(p.real); return p.imag; } },
  {
    kernelName: 'ComplexAbs',
    backendName: 'cuda',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as CudaBackend;
      const { real, imag } = b.complexParts(inputs.x as TensorInfo);
      // cpu: Math.hypot(real, imag), in double.
      const out = runElementwise(b, { name: 'ComplexAbs', op: { expr: 'hypot((double)a, (double)b)', arity: 2 }, inputs: [real, imag], outDtype: 'float32' });
      release(b, real, imag);
      return out;
    },
  },
];
