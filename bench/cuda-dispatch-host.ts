/**
 * The host side of cuda's per-op dispatch, measured on a machine WITHOUT a GPU: the real backend, pool, compiler
 * and launcher over a stub libcuda whose functions return at once (bench/cuda-stub-runtime.ts). Each layer of the
 * path of `tf.neg(x).dispose()` on a one-element tensor is timed alone, outermost first, so the differences say
 * where host time goes; the driver's own cuLaunchKernel work is not in any of them (add it from the GPU host:
 * bench/cuda-dispatch.ts).
 *   npx tsx bench/cuda-dispatch-host.ts [--ops 200000]        (needs cc; prints µs per op, the full path last)
 * Profile: node --cpu-prof --import tsx bench/cuda-dispatch-host.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import koffi from 'koffi';
import { activateStubCuda, buildStubLibcuda, stubCudaBackend } from './cuda-stub-runtime.ts';
import { runElementwise } from '../backends/cuda/ops/elementwise.ts';
import { elementwiseFor } from '../backends/cuda/kernels/elementwise.ts';

const opsArg = process.argv.indexOf('--ops');
const OPS = opsArg > 0 ? Number(process.argv[opsArg + 1]) : 200_000;
if (!(OPS > 0)) {
  console.error(`--ops must be a positive number (got ${process.argv[opsArg + 1]})`);
  process.exit(2);
}

const libPath = buildStubLibcuda();
const stub = stubCudaBackend(libPath);
await activateStubCuda(stub);
const be = stub.backend;

/**
 * CPU µs per call of `f` called OPS times: this process's user + system CPU time, not wall time, so the time
 * other processes hold the cores (a shared machine) is left out.
 */
function usPerCall(f: () => void): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < OPS; i++) f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / OPS;
}

const x = tf.scalar(1);
const xi = x as unknown as tf.TensorInfo;
const neg = tf.getKernel('Neg', 'cuda')!.kernelFunc;
const { op } = elementwiseFor('Neg', 'float32');

// The stub's cuLaunchKernel through a bare koffi function of the same prototype: the FFI call alone.
const rawLaunch = koffi.load(libPath).func('int cuLaunchKernel(uint64_t f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by, unsigned int bz, unsigned int smem, uint64_t stream, uint64_t params, uint64_t extra)') as (...a: number[]) => number;
const kernel = be.rt.compiler.kernel('extern "C" __global__ void k() {}', 'k');

const layers: Array<[string, () => void]> = [
  ['koffi call of the stub cuLaunchKernel', () => rawLaunch(4096, 1, 1, 1, 32, 1, 1, 0, 0, 8192, 0)],
  ['Launcher.launchSet (slots + Driver.launch)', () => {
    be.rt.launcher.setU64(0, 0x7f0000001000).setU64(1, 0x7f0000002000).setU32(2, 1).setF32(3, 0).setF32(4, 0);
    be.rt.launcher.launchSet(kernel, 1, 256);
  }],
  ['runElementwise + disposeData (our op path)', () => {
    const out = runElementwise(be, { name: 'Neg', op, inputs: [xi], outDtype: 'float32' });
    be.disposeData(out.dataId);
  }],
  ['Neg kernelFunc + disposeData (our kernel)', () => {
    const out = neg({ inputs: { x: xi }, backend: be, attrs: {} }) as tf.TensorInfo;
    be.disposeData(out.dataId);
  }],
  ['engine().runKernel + dispose (tfjs engine)', () => (tf.engine().runKernel('Neg', { x }, {}) as tf.Tensor).dispose()],
  ['tf.neg(x).dispose() (op wrapper: the harness\'s bare dispatch)', () => tf.neg(x).dispose()],
];
// Rounds interleave the layers, so load from other processes hits all alike; the minimum over rounds is the
// figure least disturbed by them (noise only ever adds time). The first round only warms the JIT up.
const ROUNDS = 9;
const best = layers.map(() => Infinity);
for (let r = 0; r < ROUNDS; r++) {
  layers.forEach(([, f], i) => {
    const us = usPerCall(f);
    if (r > 0) best[i] = Math.min(best[i]!, us);
  });
}
console.log(`host CPU µs per op, ${process.arch} ${(await import('node:os')).cpus()[0]?.model ?? ''}, node ${process.version}; stub driver, no GPU; ${OPS} ops per run, best of ${ROUNDS - 1} interleaved rounds`);
layers.forEach(([what], i) => console.log(`${best[i]!.toFixed(3).padStart(8)} µs  ${what}`));
