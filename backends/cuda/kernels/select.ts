/** Select (tf.where) and AddN on cuda, through the element-wise template. */
import { upcastType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { broadcastStrides, runElementwise } from '../ops/elementwise.ts';
import { FLOAT_OPS, INT_OPS } from '../codegen/elementwise.ts';

export const selectConfig: KernelConfig = {
  kernelName: 'Select',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const condition = inputs.condition as TensorInfo, t = inputs.t as TensorInfo, e = inputs.e as TensorInfo;
    const outDtype = upcastType(t.dtype, e.dtype);
    // tfjs's where() broadcasts all three first; a rank-1 condition over a higher-rank t selects whole rows (cpu's rule).
    const rowCondition = condition.shape.length === 1 && t.shape.length > 1;
    const strides = rowCondition ? [[1, ...t.shape.slice(1).map(() => 0)], broadcastStrides(t.shape, t.shape), broadcastStrides(e.shape, t.shape)] : undefined;
    return runElementwise(b, {
      name: 'Select', op: { expr: '(a != 0 ? b : c)', arity: 3 }, inputs: [condition, t, e], outDtype,
      ...(strides ? { layout: { outShape: t.shape, strides } } : {}),
    });
  },
};

export const addNConfig: KernelConfig = {
  kernelName: 'AddN',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const list = inputs as unknown as TensorInfo[];
    const dtype = list[0]!.dtype;
    const float = dtype === 'float32';
    const add3 = { expr: '(a + b + c)', arity: 3 } as const;
    if (list.length === 1) return b.view(list[0]!, list[0]!.shape);
    // Three at a time: ceil((n - 1) / 2) passes.
    let acc = runElementwise(b, list.length >= 3
      ? { name: 'AddN', op: add3, inputs: list.slice(0, 3), outDtype: dtype }
      : { name: 'Add', op: float ? FLOAT_OPS.Add! : INT_OPS.Add!, inputs: list.slice(0, 2), outDtype: dtype });
    for (let i = list.length >= 3 ? 3 : 2; i < list.length; i += 2) {
      const rest = list.slice(i, i + 2);
      const next = runElementwise(b, rest.length === 2
        ? { name: 'AddN', op: add3, inputs: [acc, ...rest], outDtype: dtype }
        : { name: 'Add', op: float ? FLOAT_OPS.Add! : INT_OPS.Add!, inputs: [acc, rest[0]!], outDtype: dtype });
      b.disposeIntermediate(acc);
      acc = next;
    }
    return acc;
  },
};
