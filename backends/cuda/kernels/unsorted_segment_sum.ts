/**
 * UnsortedSegmentSum on cuda: out[seg[r], :] += x[r, :] by atomicAdd, for segment ids in [0, numSegments) (others
 * are skipped, as tfjs-backend-cpu's masks skip them). cpu multiplies by a float32 mask, so its result is float32
 * whatever x's dtype: the same here (an int32 x is converted first).
 */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { segmentSumSource } from '../codegen/gather.ts';
import { castOp } from '../codegen/elementwise.ts';
import { runElementwise } from '../ops/elementwise.ts';
import { fillWith } from '../ops/fill.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const segmentIds = inputs.segmentIds as TensorInfo;
    let x = inputs.x as TensorInfo;
    const numSegments = attrs!.numSegments as number;
    const converted = x.dtype !== 'float32';
    if (converted) x = runElementwise(b, { name: 'Cast_int32_float32', op: castOp('int32', 'float32'), inputs: [x], outDtype: 'float32' });
    const rows = util.sizeFromShape(segmentIds.shape);
    const cols = rows === 0 ? 0 : util.sizeFromShape(x.shape) / rows;
    const out = b.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
    fillWith(b, out, 0);
    const n = rows * cols;
    if (n > 0 && numSegments > 0) {
      const { source, entry } = segmentSumSource('float32');
      b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
        arg.ptr(b.ptr(out)), arg.ptr(b.ptr(x)), arg.ptr(b.ptr(segmentIds)), arg.u64(n), arg.u64(cols), arg.u64(numSegments),
      ]);
    }
    if (converted) b.disposeIntermediate(x);
    return out;
  },
};
