/** Sum, Max, Mean and Softmax (last axis) on cuda: reduced axes are moved innermost, then one kernel per call. */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { argReduceSource, reduceSource, rowThreads, THREAD_PER_ROW_MAX_COLS, type ReduceOp } from '../codegen/rowwise.ts';
import { runSoftmaxRows } from '../ops/softmax.ts';
import { arg } from '../runtime/launcher.ts';
import { runTranspose, runElementwise } from '../ops/elementwise.ts';
import { castOp } from '../codegen/elementwise.ts';

export function runReduce(b: CudaBackend, x: TensorInfo, axis: number | number[], keepDims: boolean, op: ReduceOp, name: string): TensorInfo {
  const axes = util.parseAxisParam(axis, x.shape);
  const perm = backend_util.getAxesPermutation(axes, x.shape.length);
  const toDispose: TensorInfo[] = [];
  let input = x;
  let inner = axes;
  if (perm != null) {
    input = runTranspose(b, x, perm);
    toDispose.push(input);
    inner = backend_util.getInnerMostAxes(axes.length, x.shape.length);
  }
  // tfjs: Mean of int32 is float32 (cast first); Sum of bool is int32.
  if (op === 'mean' && input.dtype !== 'float32') {
    const f = runElementwise(b, { name: 'Cast_mean', op: castOp('int32', 'float32'), inputs: [input], outDtype: 'float32' });
    toDispose.push(f);
    input = f;
  }
  const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(input.shape, inner);
  // Sum and Prod of bool are int32 (tfjs-backend-cpu: upcastType(dtype, 'int32')); the others keep the dtype.
  const outDtype = (op === 'sum' || op === 'prod') && input.dtype === 'bool' ? 'int32' : input.dtype;
  const rows = util.sizeFromShape(outShape), cols = util.sizeFromShape(reduceShape);
  const finalShape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  const out = b.makeOutput(finalShape, outDtype);
  if (rows > 0) {
    if (cols === 0) {
      // An empty reduction: sum and mean 0 (tfjs-backend-cpu's mean is sum(x / n), so 0 too), prod 1, max the
      // lowest value and min the highest (All of nothing is true, Any false).
      const bits = new DataView(new ArrayBuffer(4));
      const f = outDtype === 'float32';
      if (op === 'max') f ? bits.setFloat32(0, -Infinity, true) : bits.setInt32(0, outDtype === 'bool' ? 0 : -2147483648, true);
      if (op === 'min') f ? bits.setFloat32(0, Infinity, true) : bits.setInt32(0, outDtype === 'bool' ? 1 : 2147483647, true);
      if (op === 'prod') f ? bits.setFloat32(0, 1, true) : bits.setInt32(0, 1, true);
      b.rt.driver.memsetD32(b.ptr(out), bits.getUint32(0, true), rows);
    } else {
      const tpr = cols <= THREAD_PER_ROW_MAX_COLS;
      const { source, entry } = reduceSource(op, deviceDtype(outDtype, name), tpr);
      const kernel = b.rt.compiler.kernel(source, entry);
      const args = [arg.ptr(b.ptr(out)), arg.ptr(b.ptr(input)), arg.u64(rows), arg.u64(cols)];
      if (tpr) b.rt.launcher.launch(kernel, [Math.ceil(rows / 128)], [128], args);
      else b.rt.launcher.launch(kernel, [rows], [rowThreads(cols)], args);
    }
  }
  for (const t of toDispose) b.disposeIntermediate(t);
  return out;
}

const reduce = (op: ReduceOp, name: string, axisAttr: string): KernelFunc =>
  ({ inputs, backend, attrs }) => runReduce(backend as CudaBackend, inputs.x as TensorInfo, attrs![axisAttr] as number | number[], Boolean(attrs!.keepDims), op, name);

const softmax: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.logits as TensorInfo;
  const dim = attrs!.dim as number;
  const rank = x.shape.length;
  // As tfjs-backend-cpu (and its message): the last axis only.
  if (dim !== -1 && dim !== rank - 1) throw new Error(`Softmax along a non-last dimension is not yet supported. Logits was rank ${rank} and dim was ${dim}`);
  if (x.dtype !== 'float32') throw new Error(`not implemented on cuda: Softmax for dtype ${x.dtype}`);
  const out = b.makeOutput(x.shape, 'float32');
  const cols = x.shape[rank - 1] ?? 1;
  const rows = cols === 0 ? 0 : util.sizeFromShape(x.shape) / cols;
  runSoftmaxRows(b, out, x, rows, cols);
  return out;
};

/** All and Any: min and max over bool (int32 0/1 on the device). */
const logical = (op: 'min' | 'max', name: string): KernelFunc => ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'bool') throw new Error(`cuda ${name}: input has dtype ${x.dtype}; tfjs casts to bool before the kernel`);
  return runReduce(backend as CudaBackend, x, attrs!.axis as number | number[], Boolean(attrs!.keepDims), op, name);
};

/** ArgMax and ArgMin over one axis (moved innermost first), int32 result. */
const argReduce = (op: 'max' | 'min', name: string): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  let axes = util.parseAxisParam(attrs!.axis as number | number[], x.shape);
  const perm = backend_util.getAxesPermutation(axes, x.shape.length);
  let input = x;
  if (perm != null) {
    input = runTranspose(b, x, perm);
    axes = backend_util.getInnerMostAxes(axes.length, x.shape.length);
  }
  axes = [axes[0]!];
  backend_util.assertAxesAreInnerMostDims(name === 'ArgMax' ? 'argMax' : 'argMin', axes, input.shape.length);
  const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(input.shape, axes);
  const rows = util.sizeFromShape(outShape), cols = util.sizeFromShape(reduceShape);
  const out = b.makeOutput(outShape, 'int32');
  if (rows > 0) {
    if (cols === 0) b.rt.driver.memsetD32(b.ptr(out), 0, rows);
    else {
      const { source, entry } = argReduceSource(op, deviceDtype(input.dtype, name));
      b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [rows], [256], [arg.ptr(b.ptr(out)), arg.ptr(b.ptr(input)), arg.u64(rows), arg.u64(cols)]);
    }
  }
  if (input !== x) b.disposeIntermediate(input);
  return out;
};

const k = (kernelName: string, kernelFunc: KernelFunc): KernelConfig => ({ kernelName, backendName: 'cuda', kernelFunc });
export const reduceConfigs: KernelConfig[] = [
  k('Sum', reduce('sum', 'Sum', 'axis')),
  k('Max', reduce('max', 'Max', 'reductionIndices')),
  k('Mean', reduce('mean', 'Mean', 'axis')),
  k('Min', reduce('min', 'Min', 'axis')),
  k('Prod', reduce('prod', 'Prod', 'axis')),
  k('All', logical('min', 'All')),
  k('Any', logical('max', 'Any')),
  k('ArgMax', argReduce('max', 'ArgMax')),
  k('ArgMin', argReduce('min', 'ArgMin')),
  k('Softmax', softmax),
];
