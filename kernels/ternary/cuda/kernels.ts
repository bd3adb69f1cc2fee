/**
 * The ternary kernels on cuda: each variant's expression from the op table (../spec.ts) printed as CUDA C
 * and run through the cuda backend's one element-wise template (int32, 4-wide when the size allows).
 * Value validation needs the values on the host: when on, inputs are read back and checked as on cpu
 * (the benchmarks pass validate: false).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../../backends/cuda/backend.ts';
import { runElementwise } from '../../../backends/cuda/ops/elementwise.ts';
import { KERNEL_INPUTS, TERNARY_KERNEL_NAMES, printExpr, variantFor, type ExprPrinter, type KernelVariant, type TernaryKernelName } from '../spec.ts';
import type { ElementwiseOp } from '../../../backends/cuda/codegen/elementwise.ts';
import { FUSEBENCH_COPY } from '../../names.ts';
import { checkInputs, checkTrits, shouldValidate } from '../validate.ts';

const NAMES = ['a', 'b', 'c'];

/** CUDA C printer for the op table's expressions (int arithmetic; min/max as ternaries). */
export const cudaPrinter: ExprPrinter<string> = {
  input: (i) => NAMES[i]!,
  const: (v) => `(${v})`,
  add: (l, r) => `(${l} + ${r})`,
  mul: (l, r) => `(${l} * ${r})`,
  min: (l, r) => `fb_min(${l}, ${r})`,
  max: (l, r) => `fb_max(${l}, ${r})`,
  neg: (x) => `(-${x})`,
};

/** Each variant's expression printed once (the variants are memoised, so they key a WeakMap). */
const ops = new WeakMap<KernelVariant, ElementwiseOp>();
function opOf(v: KernelVariant): ElementwiseOp {
  let op = ops.get(v);
  if (!op) ops.set(v, (op = { expr: printExpr(v.expr, cudaPrinter), arity: v.inputs.length as 1 | 2 | 3 }));
  return op;
}

function kernelFunc(kernel: TernaryKernelName): KernelFunc {
  const names = KERNEL_INPUTS[kernel];
  return ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const infos = names.map((n) => (inputs as Record<string, TensorInfo | undefined>)[n]);
    checkInputs(kernel, names, infos);
    const variant = variantFor(kernel, attrs as Record<string, unknown>);
    const ts = infos as TensorInfo[];
    if (shouldValidate(attrs as Record<string, unknown>)) ts.forEach((t, i) => checkTrits(b.readSync(t.dataId) as Int32Array, kernel, names[i]!));
    return runElementwise(b, {
      name: variant.id,
      op: opOf(variant),
      inputs: ts,
      outDtype: 'int32',
    });
  };
}

const copy: KernelFunc = ({ inputs, backend }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const out = b.makeOutput(x.shape, x.dtype);
  const bytes = x.shape.reduce((p, d) => p * d, 1) * 4;
  if (bytes > 0) b.rt.driver.dtod(b.ptr(out), b.ptr(x), bytes);
  return out;
};

/** The family's four kernels and the copy yardstick on this backend (listed in kernels/register_<backend>.ts). */
export const ternaryCudaConfigs: KernelConfig[] = [
  ...TERNARY_KERNEL_NAMES.map((k) => ({ kernelName: k, backendName: 'cuda', kernelFunc: kernelFunc(k) })),
  { kernelName: FUSEBENCH_COPY, backendName: 'cuda', kernelFunc: copy },
];
