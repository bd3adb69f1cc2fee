/**
 * The roofline of fusebench's fused cuda kernels on the GPU host (≤ 60 s): for each suite size, the fused variant's
 * analytic bytes and FLOPs (the suite's cost model), its device time three ways, a device copy of the same bytes,
 * and PyTorch's graph-replay time where a torch-reference.json is given.
 *   source .gpu-host/enter.sh && npx tsx bench/cuda-roofline.ts [--patterns ids] [--torch torch-reference.json] [--out $OUT/cuda-roofline.json]
 *
 * Device times (µs per call; the stream held until every call is queued, so no host time is in them; median of 5):
 *   pingpong  K calls, each output released once the next call is issued: the harness's deviceMs (two outputs alive,
 *             alternating between two buffers of the pool);
 *   reuse     K calls, each output released before the next call: one output buffer, as PyTorch's loop and graph
 *             replay run (the working set the torch comparison assumes);
 *   cold      one call after a write of 2 × L2 (nothing of the inputs cached).
 * copy: cuMemcpyDtoD of bytes/2 (read + write = the kernel's bytes), K back to back: the ceiling at this size,
 * launch ramp included. The bandwidth ceiling is a 256 MiB copy; the matmul ceiling a 4096³ fp32 tf.matMul.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../harness/core/io.ts';
import { median, seededRandom } from '../harness/core/stats.ts';
import { loadSuiteFiles } from '../harness/load.ts';
import { selectSuites } from '../harness/select.ts';
import { buildSizeState } from '../harness/measure.ts';
import { parseTorchReference, type TorchRow } from '../harness/report/torch.ts';
import { cudaBackend } from '../backends/cuda/adapter.ts';
import { activateBackend } from '../harness/activate.ts';
import type { CudaBackend } from '../backends/cuda/backend.ts';

const DEFAULT_PATTERNS = 'Linear_Bias,Linear_Bias_GELU,Linear_Bias_GELU_Tanh,Linear_Bias_SiLU,QKT,QKT_Softmax,LayerNorm,Add_ReLU,DepthwiseConv2d_BN_ReLU,Ternary_tadd_tnot,Ternary_tadd_tmul';
const { values } = parseArgs({ options: { patterns: { type: 'string', default: DEFAULT_PATTERNS }, torch: { type: 'string' }, out: { type: 'string' }, budget: { type: 'string', default: '55' } } });
const budgetS = Number(values.budget);
if (!(budgetS > 0)) {
  console.error(`--budget must be seconds > 0 (got ${values.budget})`);
  process.exit(2);
}
const started = performance.now();

const av = await cudaBackend.detect();
if (!av.available) {
  console.error(`cuda unavailable: ${av.reason}`);
  process.exit(2);
}
const torchRows = new Map<string, TorchRow>();
if (values.torch) {
  for (const r of parseTorchReference(readFileSync(values.torch, 'utf8'), values.torch).results) torchRows.set(`${r.id}|${r.label}`, r);
}
const suites = selectSuites(await loadSuiteFiles(), values.patterns, '--patterns');
const adapter = await activateBackend('cuda');
const be = tf.backend() as unknown as CudaBackend;
const rt = be.rt;

const REPS = 5;
/** Median device µs per call over REPS measurements of what `queue` launches (it launches `calls` calls). */
function deviceUs(queue: () => void, calls: number, before?: () => void): number {
  const seen: number[] = [];
  for (let r = 0; r < REPS; r++) {
    before?.();
    const ms = rt.hold.time(queue);
    if (ms === undefined) throw new Error('the stream hold timed out (a call blocked on the stream while it was held)');
    seen.push((ms * 1000) / calls);
  }
  return median(seen);
}

// Ceilings measured here, now: a 256 MiB device copy and a 4096³ fp32 matmul.
const BIG = 64 << 20;
const src = be.makeOutput([BIG], 'float32'), dst = be.makeOutput([BIG], 'float32');
const copyBig = (): void => rt.driver.dtod(be.ptr(dst), be.ptr(src), BIG * 4);
for (let i = 0; i < 50; i++) copyBig();
const copyGBs = (2 * BIG * 4) / (deviceUs(() => { for (let i = 0; i < 5; i++) copyBig(); }, 5) * 1e3);
const ma = tf.randomUniform([4096, 4096]), mb = tf.randomUniform([4096, 4096]);
tf.matMul(ma, mb).dispose();
const mmGflops = (2 * 4096 ** 3) / (deviceUs(() => { for (let i = 0; i < 3; i++) tf.matMul(ma, mb).dispose(); }, 3) * 1e3);
tf.dispose([ma, mb]);
console.log(`${adapter.describe().description}; ceilings: copy ${copyGBs.toFixed(0)} GB/s (256 MiB cuMemcpyDtoD), fp32 matmul ${(mmGflops / 1000).toFixed(1)} TFLOP/s (4096³ tf.matMul)`);
console.log('| pattern | size | bytes | FLOPs | floor µs | pingpong µs | reuse µs | cold µs | copy µs | % of copy BW (reuse) | torch graph µs | reuse / torch |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');

const rows: Array<Record<string, string | number | undefined>> = [];
const f = (x: number | undefined, d = 2): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
let stoppedAt: string | undefined;
outer: for (const { spec } of suites) {
  for (const p of spec.sizes.full) {
    if ((performance.now() - started) / 1000 > budgetS) {
      stoppedAt = `${spec.id} ${spec.label(p)}`;
      break outer;
    }
    const state = buildSizeState(spec, p, seededRandom(0x5eed));
    try {
      const cost = spec.cost(p);
      const bytes = cost.bytesFused, flops = cost.flops;
      const once = (): void => state.fused().dispose();
      for (let i = 0; i < 3; i++) once(); // compile, tune, warm
      be.synchronize();
      // K calls: enough that one measurement lasts ~0.2 ms of device time, at least 10, at most 200.
      const probe = deviceUs(() => once(), 1);
      const k = Math.max(10, Math.min(200, Math.ceil(200 / Math.max(probe, 0.5))));
      const pingpong = deviceUs(() => {
        let prev = state.fused();
        for (let i = 1; i < k; i++) {
          const next = state.fused();
          prev.dispose();
          prev = next;
        }
        prev.dispose();
      }, k);
      const reuse = deviceUs(() => { for (let i = 0; i < k; i++) once(); }, k);
      const cold = deviceUs(once, 1, () => rt.evictL2());
      const half = Math.max(4, Math.round(bytes / 2 / 4) * 4);
      const cs = be.makeOutput([half / 4], 'float32'), cd = be.makeOutput([half / 4], 'float32');
      const copy = deviceUs(() => { for (let i = 0; i < k; i++) rt.driver.dtod(be.ptr(cd), be.ptr(cs), half); }, k);
      be.disposeIntermediate(cs);
      be.disposeIntermediate(cd);
      const floor = Math.max((bytes / (copyGBs * 1e9)) * 1e6, (flops / (mmGflops * 1e9)) * 1e6);
      const label = spec.label(p);
      const torch = torchRows.get(`${spec.id}|${label}`);
      const torchUs = [torch?.eager?.graphMs, torch?.compiled?.graphMs, torch?.fusedOp?.graphMs].filter((x): x is number => typeof x === 'number').map((x) => x * 1000);
      const best = torchUs.length ? Math.min(...torchUs) : undefined;
      const pct = ((bytes / (reuse * 1e-6)) / (copyGBs * 1e9)) * 100;
      const row = { pattern: spec.id, size: label, bytes, flops, floorUs: floor, pingpongUs: pingpong, reuseUs: reuse, coldUs: cold, copyUs: copy, pctCopyBw: pct, torchGraphUs: best, ratio: best ? reuse / best : undefined, calls: k };
      rows.push(row);
      console.log(`| ${spec.id} | ${label} | ${(bytes / 1e6).toFixed(2)} MB | ${(flops / 1e6).toFixed(1)} M | ${f(floor)} | ${f(pingpong)} | ${f(reuse)} | ${f(cold)} | ${f(copy)} | ${pct.toFixed(0)}% | ${f(best)} | ${f(row.ratio)} |`);
    } catch (e) {
      console.log(`| ${spec.id} | ${spec.label(p)} | failed: ${(e as Error).message.split('\n')[0]} |`);
    } finally {
      state.dispose();
    }
  }
}
be.disposeIntermediate(src);
be.disposeIntermediate(dst);
if (stoppedAt) console.log(`(stopped at ${stoppedAt}: the ${budgetS} s budget ran out; pass --patterns to measure the rest)`);
if (values.out) {
  writeFileAtomic(values.out, JSON.stringify({
    createdAt: new Date().toISOString(), command: `npx tsx bench/cuda-roofline.ts ${process.argv.slice(2).join(' ')}`.trim(),
    device: adapter.describe(), ceilings: { copyGBs, matmulGflops: mmGflops }, torch: values.torch ?? null, rows, stoppedAt: stoppedAt ?? null,
  }, null, 2));
}
