/**
 * FusebenchSDPA on webgpu, checked and timed on the GPU host (Dawn, timestamp-query):
 *   npx tsx bench/sdpa-check-webgpu.ts --out $OUT/sdpa-webgpu.json
 * Per size of Attention_SDPA (quick and full) and odd sizes: every kernel's max error against float64
 * (harness/core/reference.ts) and the suite's tolerance — the default (FUSEBENCH_WEBGPU_SDPA unset: tiled), the
 * blocked kernel (=blocked and =blocked16, where it applies) and the row kernel (=rows); then device time per call from tf.time's
 * kernelMs (timestamp queries around each kernel) over K calls, median of REPS, for each of them and for the
 * suite's unfused tfjs-webgpu sequence. The kernel choice is switched per variant and restored only after its
 * timing has finished (tf.time is asynchronous: restoring it in a synchronous finally timed the default under
 * every label from the second repetition on, so the first H200 run's "rows" column was the tiled kernel).
 * Prints a table last; exit 1 when a result is outside tolerance.
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
  ...[{ h: 3, s: 100, d: 64 }, { h: 1, s: 77, d: 128 }, { h: 2, s: 129, d: 64 }, { h: 1, s: 1, d: 64 }, { h: 2, s: 45, d: 32 }, { h: 1, s: 31, d: 16 }]
    .map((p) => [p, false] as [AttnP, boolean]),
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

async function withSdpaChoice<T>(v: string | undefined, f: () => T | Promise<T>): Promise<T> {
  const saved = process.env.FUSEBENCH_WEBGPU_SDPA;
  if (v === undefined) delete process.env.FUSEBENCH_WEBGPU_SDPA;
  else process.env.FUSEBENCH_WEBGPU_SDPA = v;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.FUSEBENCH_WEBGPU_SDPA;
    else process.env.FUSEBENCH_WEBGPU_SDPA = saved;
  }
}

/** The kernels compared: FUSEBENCH_WEBGPU_SDPA's values (undefined: the default). */
const VARIANTS: Array<[string, string | undefined]> = [['default (tiled)', undefined], ['blocked', 'blocked'], ['blocked16', 'blocked16'], ['rows', 'rows']];
interface Row { size: string; suite: boolean; maxAbs: Record<string, number>; withinTolerance: boolean; ms: Record<string, number | undefined>; unfusedMs?: number }
const rows: Row[] = [];
for (const [p, suite] of sizes) {
  const shape = [p.h, p.s, p.d];
  const rng = seededRandom(p.h * 1_000_003 + p.s * 1009 + p.d);
  const [q64, k64, v64] = [0, 1, 2].map(() => uniform(shape, rng).data as Float64Array) as [Float64Array, Float64Array, Float64Array];
  const want = ref.sdpa(q64, k64, v64, p.h, p.s, p.d, 1 / Math.sqrt(p.d));
  const [q, k, v] = [q64, k64, v64].map((a) => tf.tensor(Float32Array.from(a), shape, 'float32')) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const scale = 1 / Math.sqrt(p.d);
  const row: Row = { size: attnLabel(p), suite, maxAbs: {}, withinTolerance: true, ms: {} };
  for (const [label, choice] of VARIANTS) {
    const out = await withSdpaChoice(choice, () => sdpa(q, k, v, scale));
    const got = await out.data();
    out.dispose();
    let maxAbs = 0;
    for (let i = 0; i < want.length; i++) {
      const e = Math.abs(got[i]! - want[i]!);
      if (!(e <= tol.atol + tol.rtol * Math.abs(want[i]!))) row.withinTolerance = false;
      maxAbs = Number.isFinite(e) ? Math.max(maxAbs, e) : Infinity;
    }
    row.maxAbs[label] = maxAbs;
    if (suite && !software) row.ms[label] = await withSdpaChoice(choice, () => kernelMs(() => sdpa(q, k, v, scale)));
  }
  if (suite && !software) row.unfusedMs = await kernelMs(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale)), v));
  tf.dispose([q, k, v]);
  rows.push(row);
  console.log(`${row.size}: ${VARIANTS.map(([l]) => `${l} max|err| ${row.maxAbs[l]!.toExponential(2)}`).join(', ')}${row.withinTolerance ? '' : ' OUTSIDE TOLERANCE'}`);
}
const result = { adapter: av.reason, method: `tf.time kernelMs over ${K} calls, median of ${REPS}`, tolerance: tol, rows };
if (outPath) writeFileAtomic(outPath, `${JSON.stringify(result, null, 2)}\n`);
const f = (x?: number): string => (x === undefined ? '—' : `${(x * 1000).toFixed(1)} µs`);
const ratio = (a?: number, b?: number): string => (a && b ? (a / b).toFixed(2) : '—');
console.log(`\nFusebenchSDPA on webgpu: ${av.reason}; ${result.method}`);
console.log(`| size | ${VARIANTS.map(([l]) => l).join(' | ')} | unfused tfjs-webgpu | ${VARIANTS.map(([l]) => `${l} / unfused`).join(' | ')} | max err ${VARIANTS.map(([l]) => l).join(' / ')} |`);
console.log(`|---|${VARIANTS.map(() => '---|').join('')}---|${VARIANTS.map(() => '---|').join('')}---|`);
for (const r of rows) {
  console.log(`| ${r.size} | ${VARIANTS.map(([l]) => f(r.ms[l])).join(' | ')} | ${f(r.unfusedMs)} | ${VARIANTS.map(([l]) => ratio(r.ms[l], r.unfusedMs)).join(' | ')} | ${VARIANTS.map(([l]) => r.maxAbs[l]!.toExponential(1)).join(' / ')}${r.withinTolerance ? '' : '✗'} |`);
}
const bad = rows.filter((r) => !r.withinTolerance).map((r) => r.size);
console.log(bad.length ? `NOT OK: ${bad.join(', ')}` : `all ${rows.length} sizes within tolerance (atol ${tol.atol}, rtol ${tol.rtol})`);
process.exit(bad.length ? 1 : 0);
