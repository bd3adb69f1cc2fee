/**
 * FusebenchSDPA on cuda, checked and timed on the GPU host in one run (about a minute):
 *   npx tsx bench/sdpa-check.ts --out $OUT/sdpa.json     (FUSEBENCH_PYTHON=python-with-torch adds PyTorch)
 *
 * 1. Correctness, every path (fp32, tf32, tf32x3) at every suite size of Attention_SDPA, odd sizes and D = 128:
 *    max abs and rel error against float64 (harness/reference.ts), and the suite's tolerance verdict. The
 *    output block is poisoned with NaN first (a NaN tensor of the same size is freed into the pool just before
 *    the call, and the script checks the kernel's output got that block), so an element the kernel never
 *    writes shows as non-finite.
 * 2. Device time per call: CUDA events around K back-to-back calls (one fence), median of REPS repetitions, for
 *    each fused path and for the suite's unfused tfjs sequence (matMul, mul, softmax, matMul on our backend).
 * 3. PyTorch fp32 F.scaled_dot_product_attention (TF32 off), events around 100 calls, median of 5, where
 *    FUSEBENCH_PYTHON names a python with torch.
 * Prints a table last; exit code 1 when any path is outside the suite's tolerance at any size.
 */
import { activateBackend } from '../harness/activate.ts';
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { writeFileAtomic } from '../harness/core/io.ts';
import * as ref from '../harness/core/reference.ts';
import { uniform } from '../harness/core/inputs.ts';
import { median, seededRandom } from '../harness/core/stats.ts';
import { cudaBackend } from '../backends/cuda/adapter.ts';
import type { CudaBackend } from '../backends/cuda/backend.ts';
import { sdpa } from '../kernels/ops.ts';
import { SDPA_CUDA_ENV, sdpaCudaPathName } from '../kernels/sdpa/cuda.ts';
import { SDPA_CUDA_PATHS, type SdpaCudaPath } from '../kernels/sdpa/cuda_source.ts';
import { attnSizes, attnLabel, type AttnP } from '../suites/attention/shapes.ts';
import { loadConfig } from '../harness/core/config.ts';

const K = 50;
const REPS = 7;
const outArg = process.argv.indexOf('--out');
const outPath = outArg > 0 ? process.argv[outArg + 1] : undefined;
if (outArg > 0 && !outPath) {
  console.error('sdpa-check: --out needs a file path');
  process.exit(2);
}

const av = await cudaBackend.detect();
if (!av.available) {
  console.error(`sdpa-check: cuda unavailable: ${av.reason}`);
  process.exit(2);
}
await activateBackend('cuda');
const be = tf.backend() as unknown as CudaBackend;
const tol = (await loadConfig()).tolerance; // Attention_SDPA declares none: the configured default applies
const savedPath = process.env[SDPA_CUDA_ENV];

const suiteSizes: AttnP[] = [...attnSizes.quick, ...attnSizes.full];
const oddSizes: AttnP[] = [
  { h: 3, s: 100, d: 64 }, { h: 1, s: 77, d: 128 }, { h: 2, s: 129, d: 64 }, { h: 1, s: 1, d: 64 }, { h: 2, s: 33, d: 100 },
  { h: 12, s: 256, d: 128 }, { h: 1, s: 2048, d: 128 },
];

interface Check { path: SdpaCudaPath; maxAbs: number; maxRel: number; nonFinite: number; poisoned: boolean; withinTolerance: boolean }
interface Timing { fusedMs: Record<string, number>; unfusedMs: number; torchMs?: number }
interface Row { size: string; h: number; s: number; d: number; suite: boolean; checks: Check[]; timing?: Timing }

function withPath<T>(path: SdpaCudaPath, f: () => T): T {
  process.env[SDPA_CUDA_ENV] = path;
  try {
    return f();
  } finally {
    if (savedPath === undefined) delete process.env[SDPA_CUDA_ENV];
    else process.env[SDPA_CUDA_ENV] = savedPath;
  }
}

async function check(p: AttnP, host: { q: Float32Array; k: Float32Array; v: Float32Array }, want: Float64Array, path: SdpaCudaPath): Promise<Check> {
  const shape = [p.h, p.s, p.d];
  const [q, k, v] = [host.q, host.k, host.v].map((a) => tf.tensor(a, shape, 'float32'));
  const poison = tf.fill(shape, NaN);
  const poisonPtr = be.ptr(poison);
  poison.dispose();
  const out = withPath(path, () => sdpa(q!, k!, v!, 1 / Math.sqrt(p.d)));
  const poisoned = be.ptr(out) === poisonPtr;
  const got = await out.data();
  tf.dispose([q!, k!, v!, out]);
  let maxAbs = 0, maxRel = 0, nonFinite = 0, within = true;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (!Number.isFinite(g)) { nonFinite++; within = false; continue; }
    const e = Math.abs(g - w);
    maxAbs = Math.max(maxAbs, e);
    maxRel = Math.max(maxRel, e / Math.max(Math.abs(w), 1e-6));
    if (!(e <= tol.atol + tol.rtol * Math.abs(w))) within = false;
  }
  return { path, maxAbs, maxRel, nonFinite, poisoned, withinTolerance: within };
}

/** ms per call: events around K calls in a row (one fence), median of REPS. */
async function deviceMs(f: () => void): Promise<number> {
  const many = (): void => { for (let i = 0; i < K; i++) tf.tidy(f); };
  many();
  be.synchronize();
  const ms: number[] = [];
  for (let r = 0; r < REPS; r++) ms.push((await be.time(many)).kernelMs as number);
  return median(ms) / K;
}

async function time(p: AttnP, host: { q: Float32Array; k: Float32Array; v: Float32Array }): Promise<Timing> {
  const shape = [p.h, p.s, p.d];
  const [q, k, v] = [host.q, host.k, host.v].map((a) => tf.tensor(a, shape, 'float32')) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const scale = 1 / Math.sqrt(p.d);
  const fusedMs: Record<string, number> = {};
  for (const path of SDPA_CUDA_PATHS) fusedMs[path] = await withPath(path, () => deviceMs(() => { sdpa(q, k, v, scale); }));
  const unfusedMs = await deviceMs(() => { tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale)), v); });
  tf.dispose([q, k, v]);
  return { fusedMs, unfusedMs };
}

/** PyTorch fp32 SDPA device ms per call at each size: events around 100 calls, median of 5; null without FUSEBENCH_PYTHON. */
function torchTimes(sizes: AttnP[]): { ms: Record<string, number>; version: string } | { error: string } | null {
  const python = process.env.FUSEBENCH_PYTHON;
  if (!python) return null;
  const script = String.raw`
import json, sys, torch, torch.nn.functional as F
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
out = {}
for h, s, d in json.loads(sys.argv[1]):
    q, k, v = (torch.rand(1, h, s, d, device="cuda") * 2 - 1 for _ in range(3))
    for _ in range(20): F.scaled_dot_product_attention(q, k, v)
    torch.cuda.synchronize()
    ms = []
    for _ in range(5):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        for _ in range(100): F.scaled_dot_product_attention(q, k, v)
        b.record(); b.synchronize()
        ms.append(a.elapsed_time(b) / 100)
    out[f"{h}x{s}x{d}"] = sorted(ms)[2]
print(json.dumps({"ms": out, "version": torch.__version__}))
`;
  try {
    const text = execFileSync(python, ['-c', script, JSON.stringify(sizes.map((p) => [p.h, p.s, p.d]))], { encoding: 'utf8', timeout: 60_000 });
    return JSON.parse(text.trim().split('\n').pop()!) as { ms: Record<string, number>; version: string };
  } catch (err) {
    return { error: (err as Error).message.slice(0, 500) };
  }
}

const t0 = performance.now();
const rows: Row[] = [];
for (const [suite, list] of [[true, suiteSizes], [false, oddSizes]] as const) {
  for (const p of list) {
    const rng = seededRandom(p.h * 1_000_003 + p.s * 1009 + p.d);
    const shape = [p.h, p.s, p.d];
    const [q, k, v] = [0, 1, 2].map(() => uniform(shape, rng).data as Float64Array) as [Float64Array, Float64Array, Float64Array];
    const want = ref.sdpa(q, k, v, p.h, p.s, p.d, 1 / Math.sqrt(p.d));
    const host = { q: Float32Array.from(q), k: Float32Array.from(k), v: Float32Array.from(v) };
    const checks: Check[] = [];
    for (const path of SDPA_CUDA_PATHS) checks.push(await check(p, host, want, path));
    const row: Row = { size: attnLabel(p), h: p.h, s: p.s, d: p.d, suite, checks };
    if (suite || p.d === 128) row.timing = await time(p, host);
    rows.push(row);
    console.log(`${row.size}: ${checks.map((c) => `${c.path} max|err| ${c.maxAbs.toExponential(2)}${c.withinTolerance ? '' : ' OUTSIDE TOLERANCE'}${c.poisoned ? '' : ' (output not poisoned)'}`).join(', ')}`);
  }
}
const timed = rows.filter((r) => r.timing);
const torch = torchTimes(timed.map((r) => ({ h: r.h, s: r.s, d: r.d })));
if (torch && 'ms' in torch) for (const r of timed) r.timing!.torchMs = torch.ms[`${r.h}x${r.s}x${r.d}`];

const device = `${be.rt.facts.name} (${be.rt.facts.smCount} SMs, cc ${be.rt.facts.computeCapability}, driver ${be.rt.facts.driverVersion})`;
const result = {
  device,
  defaultPath: sdpaCudaPathName(64),
  method: `device ms per call: CUDA events around ${K} back-to-back calls, median of ${REPS}; PyTorch: events around 100 calls, median of 5`,
  tolerance: tol,
  torch: torch && 'version' in torch ? { version: torch.version } : torch,
  rows,
  wallSeconds: (performance.now() - t0) / 1000,
};
if (outPath) writeFileAtomic(outPath, `${JSON.stringify(result, null, 2)}\n`);

const f3 = (x: number | undefined): string => (x === undefined ? '—' : x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(3)} ms`);
console.log(`\nFusebenchSDPA on ${device}; default path: ${result.defaultPath}`);
console.log(`${result.method}; PyTorch ${torch === null ? 'not run (FUSEBENCH_PYTHON unset)' : 'error' in torch ? `failed: ${torch.error}` : torch.version}`);
console.log('| size | fp32 | tf32 | tf32x3 | unfused tfjs | PyTorch SDPA fp32 | fp32 / unfused | worst err fp32 / tf32 / tf32x3 |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of timed) {
  const t = r.timing!;
  const errs = r.checks.map((c) => `${c.maxAbs.toExponential(1)}${c.withinTolerance ? '' : '✗'}`).join(' / ');
  console.log(`| ${r.size} | ${f3(t.fusedMs.fp32)} | ${f3(t.fusedMs.tf32)} | ${f3(t.fusedMs.tf32x3)} | ${f3(t.unfusedMs)} | ${f3(t.torchMs)} | ${(t.fusedMs.fp32! / t.unfusedMs).toFixed(2)} | ${errs} |`);
}
const bad = rows.flatMap((r) => r.checks.filter((c) => !c.withinTolerance || !c.poisoned).map((c) => `${r.size} ${c.path}`));
console.log(bad.length === 0 ? `all ${rows.length} sizes × ${SDPA_CUDA_PATHS.length} paths within tolerance (atol ${tol.atol}, rtol ${tol.rtol}), every output poisoned first` : `NOT OK: ${bad.join(', ')}`);
console.log(`wall ${result.wallSeconds.toFixed(1)} s${outPath ? `; JSON: ${outPath}` : ''}`);
process.exit(bad.length === 0 ? 0 : 1);
