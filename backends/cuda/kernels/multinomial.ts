/**
 * Multinomial on cuda (codegen/misc.ts): inverse-CDF sampling as tfjs-backend-cpu, one thread per sample, with a
 * counter-based generator seeded by the seed attribute. The same seed gives the same samples; they differ from
 * cpu's (seedrandom's alea sequence is inherently sequential), which tfjs's tests allow: they check bounds.
 */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { multinomialSource } from '../codegen/misc.ts';
import { gridFor } from '../ops/struct_args.ts';
import { arg } from '../runtime/launcher.ts';

export const multinomialConfig: KernelConfig = {
  kernelName: 'Multinomial',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as CudaBackend;
    const logits = inputs.logits as TensorInfo;
    const { numSamples, seed, normalized } = attrs as unknown as { numSamples: number; seed: number; normalized: boolean };
    if (logits.dtype !== 'float32') throw new Error(`not implemented on cuda: Multinomial for dtype ${logits.dtype}`);
    const [batch, events] = logits.shape as [number, number];
    const out = b.makeOutput([batch, numSamples], 'int32');
    const n = util.sizeFromShape(out.shape);
    if (n === 0) return out;
    const bits = new DataView(new ArrayBuffer(8));
    bits.setFloat64(0, seed, true);
    const { source, entry } = multinomialSource();
    b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), gridFor(n), [256], [
      arg.ptr(b.ptr(out)), arg.ptr(b.ptr(logits)), arg.u64(n), arg.i32(events), arg.i32(numSamples), arg.i32(normalized ? 1 : 0),
      { t: 'struct', v: new BigUint64Array([bits.getBigUint64(0, true)]), align: 8 },
    ]);
    return out;
  },
};
