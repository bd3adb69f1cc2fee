/**
 * What limits the fused ternary kernel on the cpu backend: the kernel against three ways of moving the
 * same bytes there, in interleaved rounds at the macro pipelines' element counts.
 *   fused        TernaryNotBinary(tadd): reads a, b, writes tnot(tadd(a, b))            (12 bytes per element)
 *   memcpy       FusebenchCopy (TypedArray.slice) of 1.5 N int32: the MACRO-REPORT yardstick (12 bytes per element)
 * Sampled by fusebench's one sampler (interleaved, K calls per sample; every variant here is synchronous, so no fence).
 *   js-loop copy the same 1.5 N int32 copied by a JavaScript element loop (out[i] = x[i])
 *   tfjs Add     tfjs-backend-cpu's own int32 Add of a and b: the backend's simplest 2-in-1-out kernel
 * Prints per-element ns and the ratios, and writes JSON with --out FILE (atomically).
 *   npx tsx bench/cpu-copy-limit.ts [--out FILE]
 */
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../harness/core/io.ts';
import { cpus } from 'node:os';
import { activateBackend } from '../harness/activate.ts';
import { quantile } from '../harness/core/stats.ts';
import { sampleInterleaved } from '../harness/core/sampler.ts';
import { FUSEBENCH_COPY } from '../kernels/names.ts';

const outArg = process.argv.indexOf('--out');
const outPath = outArg > 0 ? process.argv[outArg + 1] : undefined;
await activateBackend('cpu');

/** The macro pipelines' element counts: 256² … 2048² images, and the neural layer's largest bias+activation. */
const SIZES = [65_536, 262_144, 1_048_576, 4_194_304];
const ROUNDS = 15;
const WARMUP_CALLS = 30;
const MIN_SAMPLE_MS = 8;

const trits = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 30) % 3 - 1);
const jsLoopCopy = (x: Int32Array): Int32Array => {
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]!;
  return out;
};

const rows: Array<Record<string, number>> = [];
for (const n of SIZES) {
  const a = tf.tensor(trits(n), [n], 'int32');
  const b = tf.tensor(trits(n).reverse(), [n], 'int32');
  const c = tf.tensor(trits((n * 3) / 2), [(n * 3) / 2], 'int32');
  const cHost = c.dataSync() as Int32Array;
  const variants: Record<string, () => void> = {
    fused: () => (tf.engine().runKernel('TernaryNotBinary', { a, b }, { op: 'tadd', validate: false }) as tf.Tensor).dispose(),
    memcpy: () => (tf.engine().runKernel(FUSEBENCH_COPY, { x: c }, {}) as tf.Tensor).dispose(),
    jsLoopCopy: () => void jsLoopCopy(cHost),
    tfjsAdd: () => tf.add(a, b).dispose(),
  };
  const names = Object.keys(variants);
  const samples = await sampleInterleaved({ async sync() {} }, names.map((name) => () => {
    variants[name]!();
    return () => {};
  }), { rounds: ROUNDS, minRounds: ROUNDS, warmup: WARMUP_CALLS, minSampleMs: MIN_SAMPLE_MS, maxSeconds: Infinity, cache: 'warm' });
  const ns = Object.fromEntries(names.map((k, i) => [k, (quantile(samples.throughput[i]!, 0.5) * 1e6) / n]));
  rows.push({ elements: n, ...ns, fusedOverMemcpy: ns.fused! / ns.memcpy!, fusedOverJsLoopCopy: ns.fused! / ns.jsLoopCopy!, tfjsAddOverMemcpy: ns.tfjsAdd! / ns.memcpy! });
  console.log(`${n} elements: ns/element fused ${ns.fused!.toFixed(2)}, memcpy ${ns.memcpy!.toFixed(2)}, js-loop copy ${ns.jsLoopCopy!.toFixed(2)}, tfjs Add ${ns.tfjsAdd!.toFixed(2)}; fused/memcpy ${(ns.fused! / ns.memcpy!).toFixed(2)}×, fused/js-loop copy ${(ns.fused! / ns.jsLoopCopy!).toFixed(2)}×, tfjs Add/memcpy ${(ns.tfjsAdd! / ns.memcpy!).toFixed(2)}×`);
  tf.dispose([a, b, c]);
}
const doc = { createdAt: new Date().toISOString(), command: `npx tsx bench/cpu-copy-limit.ts${outPath ? ` --out ${outPath}` : ''}`, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, rounds: ROUNDS, warmupCalls: WARMUP_CALLS, minSampleMs: MIN_SAMPLE_MS, rows };
if (outPath) {
  writeFileAtomic(outPath, `${JSON.stringify(doc, null, 2)}\n`);
}
