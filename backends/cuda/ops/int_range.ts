/**
 * The smallest and largest value of an int32 tensor, for the kernels tfjs validates by value (GatherV2's index
 * range): one reduction and an 8-byte read-back, counted as a host round trip, then kept per dataId (tfjs never
 * changes the values under a dataId), so a suite gathering with the same indices pays it once.
 */
import { util, type DataId, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { intRangeSource } from '../codegen/gather.ts';
import { arg } from '../runtime/launcher.ts';
import { countHostTrip } from '../host_trips.ts';

const ranges = new WeakMap<DataId, readonly [number, number]>();

export function intRange(b: CudaBackend, t: TensorInfo, why: string): readonly [number, number] {
  const hit = ranges.get(t.dataId);
  if (hit) return hit;
  const n = util.sizeFromShape(t.shape);
  let range: readonly [number, number] = [2147483647, -2147483648];
  if (n > 0) {
    const out = b.makeOutput([2], 'int32');
    try {
      b.rt.driver.memsetD32(b.ptr(out), 0x7fffffff, 1);
      b.rt.driver.memsetD32(b.ptr(out) + 4, 0x80000000, 1);
      const { source, entry } = intRangeSource();
      b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.min(Math.ceil(n / 256), 1024)], [256], [arg.ptr(b.ptr(out)), arg.ptr(b.ptr(t)), arg.u64(n)]);
      countHostTrip(why);
      const v = b.readSync(out.dataId) as Int32Array;
      range = [v[0]!, v[1]!];
    } finally {
      b.disposeIntermediate(out);
    }
  }
  ranges.set(t.dataId, range);
  return range;
}
