/**
 * Cumsum and Cumprod on cuda: the axis moved innermost (a transpose when it is not), one scan kernel
 * (codegen/scan.ts), moved back. Result dtype upcastType(x, 'int32') as tfjs-backend-cpu (bool gives int32).
 */
import { backend_util, upcastType, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { deviceDtype, type CudaBackend } from '../backend.ts';
import { castOp } from '../codegen/elementwise.ts';
import { SCAN_BLOCK, SCAN_THREAD_PER_ROW_MAX_COLS, scanSource, type ScanOp } from '../codegen/scan.ts';
import { runElementwise, runTranspose } from '../ops/elementwise.ts';
import { arg } from '../runtime/launcher.ts';

const cumulative = (op: ScanOp, name: string): KernelFunc => ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const x = inputs.x as TensorInfo;
  const { axis, exclusive, reverse } = attrs as unknown as { axis: number; exclusive: boolean; reverse: boolean };
  const perm = backend_util.getAxesPermutation([axis], x.shape.length);
  const dtype = upcastType(x.dtype, 'int32');
  const temps: TensorInfo[] = [];
  let input = x;
  if (perm != null) temps.push((input = runTranspose(b, x, perm)));
  if (input.dtype === 'bool') temps.push((input = runElementwise(b, { name: 'Cast_bool_int32', op: castOp('int32', 'int32'), inputs: [input], outDtype: 'int32' })));
  const cols = input.shape[input.shape.length - 1] ?? 1;
  const rows = cols === 0 ? 0 : util.sizeFromShape(input.shape) / cols;
  let out = b.makeOutput(input.shape, dtype);
  if (rows > 0) {
    const tpr = cols <= SCAN_THREAD_PER_ROW_MAX_COLS;
    const { source, entry } = scanSource(op, deviceDtype(dtype, name), tpr);
    const args = [arg.ptr(b.ptr(out)), arg.ptr(b.ptr(input)), arg.u64(rows), arg.u64(cols), arg.i32(exclusive ? 1 : 0), arg.i32(reverse ? 1 : 0)];
    if (tpr) b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.ceil(rows / 128)], [128], args);
    else b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [rows], [SCAN_BLOCK], args);
  }
  if (perm != null) {
    const back = runTranspose(b, out, backend_util.getUndoAxesPermutation(perm));
    b.disposeIntermediate(out);
    out = back;
  }
  for (const t of temps) b.disposeIntermediate(t);
  return out;
};

export const cumsumConfig: KernelConfig = { kernelName: 'Cumsum', backendName: 'cuda', kernelFunc: cumulative('sum', 'Cumsum') };
export const cumprodConfig: KernelConfig = { kernelName: 'Cumprod', backendName: 'cuda', kernelFunc: cumulative('prod', 'Cumprod') };
