/**
 * BroadcastArgs on cuda: the two shape vectors are read back (8 bytes a dimension, counted as a host round trip,
 * as tfjs-backend-webgpu reads them too), broadcast by tfjs's rule and message, and the result uploaded.
 */
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../backend.ts';
import { countHostTrip } from '../host_trips.ts';

export const broadcastArgsConfig: KernelConfig = {
  kernelName: 'BroadcastArgs',
  backendName: 'cuda',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as CudaBackend;
    const s0 = inputs.s0 as TensorInfo, s1 = inputs.s1 as TensorInfo;
    countHostTrip('BroadcastArgs (reads its shape inputs)');
    const a = Array.from(b.readSync(s0.dataId) as Int32Array), c = Array.from(b.readSync(s1.dataId) as Int32Array);
    const shape = backend_util.assertAndGetBroadcastShape(a, c);
    return b.makeTensorInfo([shape.length], 'int32', Int32Array.from(shape));
  },
};
