/**
 * FusebenchSDPA on webgpu, checked and timed on the GPU host (Dawn, timestamp-query):
 *   npx tsx bench/sdpa-check-webgpu.ts --out $OUT/sdpa-webgpu.json
 * Per size of Attention_SDPA (quick and full) and odd sizes: the tiled kernel's max error against float64
 * (harness/reference.ts) and the suite's tolerance; then device time per call from tf.time's kernelMs over K
 * calls (median of REPS) for the tiled kernel, the row kernel (FUSEBENCH_WEBGPU_SDPA=rows) and the suite's
 * unfused tfjs-webgpu sequence. Prints a table last; exit 1 when a result is outside tolerance.
 * On a software adapter (FUSEBENCH_WEBGPU_ALLOW_SOFTWARE=1) it checks correctness and skips the timing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../harness/core/io.ts';
import * as ref from '../harness/core/reference.ts';
import { uniform } from '../harness/core/inputs.ts';
import { median, seededRandom } from '../harness/core/stats.ts';
import { loadConfig } from '../harness/core/config.ts';
import { webgpuBackend } from '../backends/webgpu/adapter.ts';
import { sdpa } from '../kernels/ops.ts';
import { activateBackend } from '../harness/activate.ts';
import { attnLabel, attnSizes, type AttnP } from '../suites/attention/shapes.ts';

const K = 20;
const REPS = 5;
const outArg = process.argv.indexOf('--out');
const outPath = outArg > 0 ? process.argv[outArg + 1] : undefined;
if (outArg > 0 && !outPath) {
  console.error('sdpa-check-webgpu: --out needs a file path');
  process.exit(2);
}
const av = await webgpuBackend.detect();
if (!av.available) {
  console.error(`sdpa-check-webgpu: webgpu unavailable: ${av.reason}`);
  process.exit(2);
}
await activateBackend('webgpu');
const software = /SOFTWARE/.test(av.reason ?? '');
const tol = (await loadConfig()).tolerance;
const sizes: Array<[AttnP, boolean]> = [
  ...[...attnSizes.quick, ...attnSizes.full].map((p) => [p, true] as [AttnP, boolean]),
  ...[{ h: 3, s: 100, d: 64 }, { h: 1, s: 77, d: 128 }, { h: 2, s: 129, d: 64 }, { h: 1, s: 1, d: 64 }].map((p) => [p, false] as [AttnP, boolean]),
];

/** Device ms per call: tf.time's kernelMs over K calls, median of REPS. */
async function kernelMs(f: () => tf.Tensor): Promise<number> {
  tf.tidy(f);
  const ms: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const info = await tf.time(() => { for (let i = 0; i < K; i++) tf.tidy(f); });
    ms.push(info.kernelMs as number);
  }
  return median(ms) / K;
}

function withSdpaChoice<T>(v: string | undefined, f: () => T): T {
  const saved = process.env.FUSEBENCH_WEBGPU_SDPA;
  if (v === undefined) delete process.env.FUSEBENCH_WEBGPU_SDPA;
  else process.env.FUSEBENCH_WEBGPU_SDPA = v;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.FUSEBENCH_WEBGPU_SDPA;
    else process.env.FUSEBENCH_WEBGPU_SDPA = saved;
  }
}

const rows: Array<{ size: string; suite: boolean; maxAbs: number; withinTolerance: boolean; tiledMs?: number; rowsMs?: number; unfusedMs?: number }> = [];
for (const [p, suite] of sizes) {
  const shape = [p.h, p.s, p.d];
  const rng = seededRandom(p.h * 1_000_003 + p.s * 1009 + p.d);
  const [q64, k64, v64] = [0, 1, 2].map(() => uniform(shape, rng).data as Float64Array) as [Float64Array, Float64Array, Float64Array];
  const want = ref.sdpa(q64, k64, v64, p.h, p.s, p.d, 1 / Math.sqrt(p.d));
  const [q, k, v] = [q64, k64, v64].map((a) => tf.tensor(Float32Array.from(a), shape, 'float32')) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const scale = 1 / Math.sqrt(p.d);
  const out = withSdpaChoice(undefined, () => sdpa(q, k, v, scale));
  const got = await out.data();
  out.dispose();
  let maxAbs = 0, within = true;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!);
    if (!(e <= tol.atol + tol.rtol * Math.abs(want[i]!))) within = false;
    maxAbs = Number.isFinite(e) ? Math.max(maxAbs, e) : Infinity;
  }
  const row: (typeof rows)[number] = { size: attnLabel(p), suite, maxAbs, withinTolerance: within };
  if (suite && !software) {
    row.tiledMs = await withSdpaChoice(undefined, () => kernelMs(() => sdpa(q, k, v, scale)));
    row.rowsMs = await withSdpaChoice('rows', () => kernelMs(() => sdpa(q, k, v, scale)));
    row.unfusedMs = await kernelMs(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale)), v));
  }
  tf.dispose([q, k, v]);
  rows.push(row);
  console.log(`${row.size}: max|err| ${maxAbs.toExponential(2)}${within ? '' : ' OUTSIDE TOLERANCE'}`);
}
const result = { adapter: av.reason, method: `tf.time kernelMs over ${K} calls, median of ${REPS}`, tolerance: tol, rows };
if (outPath) writeFileAtomic(outPath, `${JSON.stringify(result, null, 2)}\n`);
const f = (x?: number): string => (x === undefined ? '—' : `${(x * 1000).toFixed(1)} µs`);
console.log(`\nFusebenchSDPA on webgpu: ${av.reason}; ${result.method}`);
console.log('| size | tiled | rows | unfused tfjs-webgpu | tiled / unfused | max err |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.size} | ${f(r.tiledMs)} | ${f(r.rowsMs)} | ${f(r.unfusedMs)} | ${r.tiledMs && r.unfusedMs ? (r.tiledMs / r.unfusedMs).toFixed(2) : '—'} | ${r.maxAbs.toExponential(1)}${r.withinTolerance ? '' : '✗'} |`);
const bad = rows.filter((r) => !r.withinTolerance).map((r) => r.size);
console.log(bad.length ? `NOT OK: ${bad.join(', ')}` : `all ${rows.length} sizes within tolerance (atol ${tol.atol}, rtol ${tol.rtol})`);
process.exit(bad.length ? 1 : 0);
