/** FusebenchSDPA on cuda: the flash-style kernel of backends/cuda/codegen/sdpa.ts (no S×S scores in memory). */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { CudaBackend } from '../../backends/cuda/backend.ts';
import { sdpaSource, SDPA_ROWS_PER_BLOCK } from '../../backends/cuda/codegen/sdpa.ts';
import { arg } from '../../backends/cuda/runtime/launcher.ts';
import { SDPA } from '../names.ts';
import { attentionDims, attentionScale, requireInput } from '../common/shape_checks.ts';

const sdpa: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as CudaBackend;
  const ins = inputs as Record<string, TensorInfo>;
  const q = requireInput(ins, 'q', SDPA), k = requireInput(ins, 'k', SDPA), v = requireInput(ins, 'v', SDPA);
  const { bh, s, d } = attentionDims({ q, k, v }, SDPA);
  const scale = attentionScale(attrs?.scale, d, SDPA);
  const out = b.makeOutput(q.shape, 'float32');
  if (bh * s * d === 0) return out;
  const { source, entry } = sdpaSource(d);
  b.rt.launcher.launch(b.rt.compiler.kernel(source, entry), [Math.ceil(s / SDPA_ROWS_PER_BLOCK), bh], [SDPA_ROWS_PER_BLOCK], [
    arg.ptr(b.ptr(out)), arg.ptr(b.ptr(q)), arg.ptr(b.ptr(k)), arg.ptr(b.ptr(v)), arg.i32(s), arg.f32(scale),
  ]);
  return out;
};

export const sdpaCudaConfig: KernelConfig = { kernelName: SDPA, backendName: 'cuda', kernelFunc: sdpa };
