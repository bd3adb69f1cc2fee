/**
 * cuda per-op dispatch on the GPU host, layer by layer (≤ 60 s). Every row is the per-call wall time of 100
 * back-to-back calls then one fence, median of 30 (the harness's measureOverhead method), so the rows subtract:
 *   - raw cuLaunchKernel of an empty kernel through a bare koffi binding on the legacy default stream (the
 *     backend's): the driver's share plus one koffi call (docs/cuda.md: the per-thread default stream and a created
 *     non-blocking stream cost the same, measured side by side earlier);
 *   - the backend's Launcher, runElementwise + dispose, the Neg kernel, tfjs's engine, tf.neg: the JS layers;
 *   - last, the harness's own figure (harness/run.ts harnessOverhead: bare tf.neg dispatch, and through the
 *     sampler), the one results.json reports as bareDispatchMs / harnessOverheadMs.
 *   source .gpu-host/enter.sh && npx tsx bench/cuda-dispatch.ts [--out $OUT/cuda-dispatch.json]
 * The host side alone, without a GPU: bench/cuda-dispatch-host.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import koffi from 'koffi';
import { writeFileAtomic } from '../harness/core/io.ts';
import { median } from '../harness/core/stats.ts';
import { cudaBackend } from '../backends/cuda/adapter.ts';
import { activateBackend } from '../harness/activate.ts';
import { harnessOverhead } from '../harness/run.ts';
import { loadCudaLibrary } from '../backends/cuda/ffi/load.ts';
import type { CudaBackend } from '../backends/cuda/backend.ts';
import { runElementwise } from '../backends/cuda/ops/elementwise.ts';
import { elementwiseFor } from '../backends/cuda/kernels/elementwise.ts';

const outArg = process.argv.indexOf('--out');
const outPath = outArg > 0 ? process.argv[outArg + 1] : undefined;
if (outArg > 0 && !outPath) {
  console.error('--out needs a file path');
  process.exit(2);
}

const av = await cudaBackend.detect();
if (!av.available) {
  console.error(`cuda unavailable: ${av.reason}`);
  process.exit(2);
}
const adapter = await activateBackend('cuda');
const be = tf.backend() as unknown as CudaBackend;

// A bare binding of cuLaunchKernel: the driver's share, without the backend's Driver and Launcher around it.
const lib = loadCudaLibrary('cuda').lib;
const cuLaunchKernel = lib.func('int cuLaunchKernel(uint64_t f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by, unsigned int bz, unsigned int smem, uint64_t stream, uint64_t params, uint64_t extra)') as (...a: number[]) => number;

// The empty kernel with the element-wise template's parameter list (out, in, n, p0, p1), and its void*[] block.
const noop = be.rt.compiler.kernel('extern "C" __global__ void fb_dispatch_noop(float* o, const float* a, unsigned int n, float p0, float p1) {}', 'fb_dispatch_noop', 'fusebench_dispatch.cu');
const values = koffi.alloc('uint64_t', 5);
const slots = koffi.alloc('uint64_t', 5);
const valuesAddr = koffi.address(values);
const slotView = new BigUint64Array(koffi.view(slots, 40));
for (let i = 0; i < 5; i++) slotView[i] = valuesAddr + BigInt(8 * i);
const paramsAddr = Number(koffi.address(slots));

const CALLS = 100;
const REPS = 30;
/** Median per-call µs of CALLS calls of `f` then `fence`, over REPS repetitions (after one untimed repetition). */
function perCallUs(f: () => void, fence: () => void): number {
  const seen: number[] = [];
  for (let r = 0; r <= REPS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) f();
    fence();
    if (r > 0) seen.push(((performance.now() - t0) * 1000) / CALLS);
  }
  return median(seen);
}

const raw = (): void => {
  const code = cuLaunchKernel(noop.addr, 1, 1, 1, 32, 1, 1, 0, 0, paramsAddr, 0);
  if (code !== 0) throw new Error(`cuLaunchKernel failed with CUresult ${code}`);
};
const fence = (): void => be.synchronize();
const x = tf.scalar(1);
const xi = x as unknown as tf.TensorInfo;
const { op } = elementwiseFor('Neg', 'float32');
const neg = tf.getKernel('Neg', 'cuda')!.kernelFunc;

const rows: Array<[string, number]> = [];
const row = (what: string, us: number): void => {
  rows.push([what, us]);
  console.log(`${us.toFixed(2).padStart(7)} µs  ${what}`);
};
console.log(`cuda per-op dispatch, µs per call (${CALLS} calls then one fence, median of ${REPS}); ${adapter.describe().description}`);
row('raw cuLaunchKernel (bare koffi binding), empty kernel', perCallUs(raw, fence));
row('Launcher.launchSet, empty kernel', perCallUs(() => {
  be.rt.launcher.setU64(0, be.ptr(xi)).setU64(1, be.ptr(xi)).setU32(2, 1).setF32(3, 0).setF32(4, 0);
  be.rt.launcher.launchSet(noop, 1, 32);
}, fence));
row('runElementwise(Neg) + dispose', perCallUs(() => be.disposeData(runElementwise(be, { name: 'Neg', op, inputs: [xi], outDtype: 'float32' }).dataId), fence));
row('Neg kernelFunc + dispose', perCallUs(() => be.disposeData((neg({ inputs: { x: xi }, backend: be, attrs: {} }) as tf.TensorInfo).dataId), fence));
row('engine().runKernel(Neg) + dispose', perCallUs(() => (tf.engine().runKernel('Neg', { x }, {}) as tf.Tensor).dispose(), fence));
row('tf.neg(x).dispose()', perCallUs(() => tf.neg(x).dispose(), fence));
const overhead = await harnessOverhead(adapter);
row('through the sampler (harnessOverheadMs)', overhead.harnessMs * 1000);
x.dispose();

const result = {
  createdAt: new Date().toISOString(),
  command: `npx tsx bench/cuda-dispatch.ts${outPath ? ` --out ${outPath}` : ''}`,
  device: adapter.describe(),
  method: `per-call wall µs of ${CALLS} back-to-back calls then one fence, median of ${REPS}`,
  rows: Object.fromEntries(rows),
  bareDispatchUs: overhead.bareMs * 1000,
};
if (outPath) writeFileAtomic(outPath, JSON.stringify(result, null, 2));
console.log(`per-op pipelined dispatch (bare tf.neg, the harness's bareDispatchMs): ${(overhead.bareMs * 1000).toFixed(2)} µs`);
