/**
 * FusebenchSDPA on cuda, checked and timed on the GPU host in one run (about a minute):
 *   npx tsx bench/sdpa-check.ts --out $OUT/sdpa.json     (FUSEBENCH_PYTHON=python-with-torch adds PyTorch)
 *
 * 1. Correctness, every path (fp32, tf32, tf32x3) with the tiling the host heuristic picks, at every suite size of
 *    Attention_SDPA, odd sizes and D = 128: max abs error against float64 (harness/core/reference.ts) and the
 *    suite's tolerance verdict. The output block is poisoned with NaN first (a NaN tensor of the same size is freed
 *    into the pool just before the call, and the script checks the kernel's output got that block), so an element
 *    the kernel never writes shows as non-finite.
 * 2. Device time per call, no host gaps: the stream is held by a blocking kernel while K calls are queued, then CUDA
 *    events time the device alone (BackendAdapter.deviceTime through harness/core/sampler.ts deviceTimePerCall),
 *    median of REPS, for each path at the heuristic's tiling, for the suite's unfused tfjs sequence (matMul, mul,
 *    softmax, matMul on our backend), and for a sweep of tilings (warps per block, keys per tile, cluster split)
 *    on the paths in SDPA_CHECK_SWEEP_PATHS (default tf32x3,fp32), each swept variant also checked against
 *    float64 at that size first. SDPA_CHECK_TILINGS replaces the sweep's list (e.g. "w4k64s2,w8k64s1"; "none"
 *    skips the sweep).
 * 3. PyTorch fp32 F.scaled_dot_product_attention (TF32 off; which backend it picks is recorded), where
 *    FUSEBENCH_PYTHON names a python with torch: CUDA-graph replay of 100 captured calls (device time, no launch
 *    overhead) and CUDA events around 100 eager calls, each the median of 5.
 * Every kernel the run needs is compiled first by several processes at once (bench/sdpa-check-precompile.ts, into
 * the backend's disk cache) while this one computes the float64 references: NVRTC takes about a second per variant.
 * Prints a table last; exit code 1 when any path or swept tiling is outside the suite's tolerance at any size.
 */
import { activateBackend } from '../harness/activate.ts';
import * as tf from '@tensorflow/tfjs-core';
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../harness/core/io.ts';
import * as ref from '../harness/core/reference.ts';
import { uniform } from '../harness/core/inputs.ts';
import { seededRandom } from '../harness/core/stats.ts';
import { deviceTimePerCall, type IssueCall } from '../harness/core/sampler.ts';
import { cudaBackend } from '../backends/cuda/adapter.ts';
import type { CudaBackend } from '../backends/cuda/backend.ts';
import { sdpa } from '../kernels/ops.ts';
import { SDPA_CUDA_ENV, sdpaCudaClustersRefused, sdpaCudaPathName, sdpaCudaPlan, sdpaCudaTilingFor, setSdpaCudaTiling } from '../kernels/sdpa/cuda.ts';
import type { PrecompileItem } from './sdpa-check-precompile.ts';
import { SDPA_CUDA_PATHS, SDPA_KEY_TILES, SDPA_SPLITS, SDPA_WARP_COUNTS, type SdpaCudaPath, type SdpaCudaTiling } from '../kernels/sdpa/cuda_source.ts';
import { attnSizes, attnLabel, type AttnP } from '../suites/attention/shapes.ts';
import { loadConfig } from '../harness/core/config.ts';

/** Calls per device-time measurement (fused: one launch each; unfused: a handful) and measurements per figure. */
const CALLS_FUSED = 100;
const CALLS_UNFUSED = 40;
const REPS = 5;
/** The sweep when SDPA_CHECK_TILINGS is unset: the heuristic's family, then more and fewer rows per block, shorter key tiles. */
const DEFAULT_SWEEP = 'w4k64s1,w4k64s2,w4k64s4,w4k64s8,w8k64s1,w8k64s2,w8k64s4,w4k32s2,w4k32s4,w4k32s8,w2k64s1,w2k64s2,w2k32s2,w2k32s4,w1k32s2,w2k16s4,w4k16s4';

function usage(msg: string): never {
  console.error(`sdpa-check: ${msg}`);
  process.exit(2);
}

const outArg = process.argv.indexOf('--out');
const outPath = outArg > 0 ? process.argv[outArg + 1] : undefined;
if (outArg > 0 && !outPath) usage('--out needs a file path');

/** "w4k64s2" → { warps 4, keysPerTile 64, split 2 }; anything else is an error naming the variable. */
function parseTiling(label: string): SdpaCudaTiling {
  const m = /^w(\d+)k(\d+)s(\d+)$/.exec(label);
  const t = m ? { warps: Number(m[1]), keysPerTile: Number(m[2]), split: Number(m[3]) } : undefined;
  if (!t || !(SDPA_WARP_COUNTS as readonly number[]).includes(t.warps) || !(SDPA_KEY_TILES as readonly number[]).includes(t.keysPerTile)
    || !(SDPA_SPLITS as readonly number[]).includes(t.split)) {
    usage(`SDPA_CHECK_TILINGS: "${label}" is not w<${SDPA_WARP_COUNTS.join('|')}>k<${SDPA_KEY_TILES.join('|')}>s<${SDPA_SPLITS.join('|')}>`);
  }
  return t as SdpaCudaTiling;
}
const tilingLabel = (t: SdpaCudaTiling): string => `w${t.warps}k${t.keysPerTile}s${t.split}`;

const sweepSpec = process.env.SDPA_CHECK_TILINGS ?? DEFAULT_SWEEP;
const sweep = sweepSpec === 'none' ? [] : sweepSpec.split(',').map((s) => parseTiling(s.trim()));
const sweepPaths = (process.env.SDPA_CHECK_SWEEP_PATHS ?? 'tf32x3,fp32').split(',').map((p) => p.trim()).filter(Boolean);
for (const p of sweepPaths) if (!(SDPA_CUDA_PATHS as readonly string[]).includes(p)) usage(`SDPA_CHECK_SWEEP_PATHS: "${p}" is not one of ${SDPA_CUDA_PATHS.join(', ')}`);

const av = await cudaBackend.detect();
if (!av.available) usage(`cuda unavailable: ${av.reason}`);
await activateBackend('cuda');
const be = tf.backend() as unknown as CudaBackend;
const tol = (await loadConfig()).tolerance; // Attention_SDPA declares none: the configured default applies
const savedPath = process.env[SDPA_CUDA_ENV];

const suiteSizes: AttnP[] = [...attnSizes.quick, ...attnSizes.full];
const oddSizes: AttnP[] = [
  { h: 3, s: 100, d: 64 }, { h: 1, s: 77, d: 128 }, { h: 2, s: 129, d: 64 }, { h: 1, s: 1, d: 64 }, { h: 2, s: 33, d: 100 },
  { h: 12, s: 256, d: 128 }, { h: 1, s: 2048, d: 128 },
];

interface Check { path: SdpaCudaPath; tiling: string; maxAbs: number; nonFinite: number; poisoned: boolean; withinTolerance: boolean; error?: string }
interface Timing {
  /** Path → device ms per call at the heuristic's tiling. */
  fusedMs: Record<string, number | undefined>;
  /** Path → tiling label → device ms per call. */
  sweepMs: Record<string, Record<string, number | undefined>>;
  unfusedMs?: number;
  torch?: { graphMs?: number; eventsMs?: number; backend?: string };
}
interface Row { size: string; h: number; s: number; d: number; suite: boolean; tiling: string; checks: Check[]; timing?: Timing }
interface Host { q: Float32Array; k: Float32Array; v: Float32Array }

/** Runs f with FUSEBENCH_CUDA_SDPA = path and the tiling pinned (undefined: the heuristic's), awaiting it before restoring both. */
async function withVariant<T>(path: SdpaCudaPath, tiling: SdpaCudaTiling | undefined, f: () => T | Promise<T>): Promise<T> {
  process.env[SDPA_CUDA_ENV] = path;
  setSdpaCudaTiling(tiling);
  try {
    return await f();
  } finally {
    setSdpaCudaTiling(undefined);
    if (savedPath === undefined) delete process.env[SDPA_CUDA_ENV];
    else process.env[SDPA_CUDA_ENV] = savedPath;
  }
}

function tensors(p: AttnP, host: Host): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const shape = [p.h, p.s, p.d];
  return [host.q, host.k, host.v].map((a) => tf.tensor(a, shape, 'float32')) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/** check(), with a thrown error (a launch the driver refuses) recorded as a failed check instead of ending the run. */
async function checkSafe(p: AttnP, qkv: [tf.Tensor, tf.Tensor, tf.Tensor], want: Float64Array, path: SdpaCudaPath, tiling: string): Promise<Check> {
  try {
    return await check(p, qkv, want, path, tiling);
  } catch (e) {
    return { path, tiling, maxAbs: Infinity, nonFinite: 0, poisoned: false, withinTolerance: false, error: (e as Error).message.slice(0, 300) };
  }
}

/** One call of the variant in force, its output poisoned first, against float64. */
async function check(p: AttnP, qkv: [tf.Tensor, tf.Tensor, tf.Tensor], want: Float64Array, path: SdpaCudaPath, tiling: string): Promise<Check> {
  const poison = tf.fill([p.h, p.s, p.d], NaN);
  const poisonPtr = be.ptr(poison);
  poison.dispose();
  const out = sdpa(qkv[0], qkv[1], qkv[2], 1 / Math.sqrt(p.d));
  const poisoned = be.ptr(out) === poisonPtr;
  const got = await out.data();
  out.dispose();
  let maxAbs = 0, nonFinite = 0, within = true;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (!Number.isFinite(g)) { nonFinite++; within = false; continue; }
    const e = Math.abs(g - w);
    maxAbs = Math.max(maxAbs, e);
    if (!(e <= tol.atol + tol.rtol * Math.abs(w))) within = false;
  }
  return { path, tiling, maxAbs, nonFinite, poisoned, withinTolerance: within };
}

/** Device ms per call, no host gaps (the stream held while the calls are queued); undefined if the hold timed out. */
async function deviceMs(call: () => tf.Tensor, calls: number): Promise<number | undefined> {
  const issue: IssueCall = () => {
    const t = call();
    return () => t.dispose();
  };
  const first = call(); // compiles on first use, outside the timed region
  be.synchronize();
  first.dispose();
  return deviceTimePerCall(cudaBackend, issue, calls, REPS);
}

/** The sweep's tilings worth timing at p: every block keeps at least one key tile. */
function sweepAt(p: AttnP): SdpaCudaTiling[] {
  if (p.d > 128) return [];
  return sweep.filter((t) => t.split <= Math.ceil(p.s / t.keysPerTile));
}

/** PyTorch fp32 SDPA per size: graph replay and events around 100 calls, median of 5; null without FUSEBENCH_PYTHON. */
function torchTimes(sizes: AttnP[]): { ms: Record<string, { graphMs?: number; eventsMs?: number; backend?: string; error?: string }>; version: string; device: string } | { error: string } | null {
  const python = process.env.FUSEBENCH_PYTHON;
  if (!python) return null;
  const script = String.raw`
import json, sys, torch, torch.nn.functional as F
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
CALLS, REPS = 100, 5
def med(xs):
    return sorted(xs)[len(xs) // 2]
def events(f):
    ms = []
    for _ in range(REPS):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        for _ in range(CALLS): f()
        b.record(); b.synchronize()
        ms.append(a.elapsed_time(b) / CALLS)
    return med(ms)
def graph(f):
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3): f()
    torch.cuda.current_stream().wait_stream(side)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(CALLS): f()
    g.replay(); torch.cuda.synchronize()
    ms = []
    for _ in range(REPS):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); g.replay(); b.record(); b.synchronize()
        ms.append(a.elapsed_time(b) / CALLS)
    return med(ms)
out = {}
for h, s, d in json.loads(sys.argv[1]):
    q, k, v = (torch.rand(1, h, s, d, device="cuda") * 2 - 1 for _ in range(3))
    f = lambda: F.scaled_dot_product_attention(q, k, v)
    r = {}
    try:
        c = torch._fused_sdp_choice(q, k, v)
        try:
            r["backend"] = torch.nn.attention.SDPBackend(c).name
        except Exception:
            r["backend"] = str(c)
    except Exception as e:
        r["backend"] = "unknown (" + str(e).split("\n")[0][:80] + ")"
    for _ in range(20): f()
    torch.cuda.synchronize()
    r["eventsMs"] = events(f)
    try:
        r["graphMs"] = graph(f)
    except Exception as e:
        r["error"] = str(e).split("\n")[0][:200]
        torch.cuda.synchronize()
    out[f"{h}x{s}x{d}"] = r
print(json.dumps({"ms": out, "version": torch.__version__, "device": torch.cuda.get_device_name()}))
`;
  try {
    const text = execFileSync(python, ['-c', script, JSON.stringify(sizes.map((p) => [p.h, p.s, p.d]))], { encoding: 'utf8', timeout: 120_000 });
    return JSON.parse(text.trim().split('\n').pop()!) as { ms: Record<string, { graphMs?: number; eventsMs?: number; backend?: string }>; version: string; device: string };
  } catch (err) {
    return { error: (err as Error).message.slice(0, 500) };
  }
}

const t0 = performance.now();
const gpu = { smCount: be.rt.facts.smCount, clusters: Number.parseFloat(be.rt.facts.computeCapability) >= 9 };
const all: Array<[boolean, AttnP]> = [...suiteSizes.map((p) => [true, p] as [boolean, AttnP]), ...oddSizes.map((p) => [false, p] as [boolean, AttnP])];

/** Every kernel the run will launch, compiled by several processes at once into the disk cache. */
async function precompile(): Promise<string> {
  const seen = new Set<string>();
  const items: PrecompileItem[] = [];
  const add = (d: number, path: SdpaCudaPath, tiling: SdpaCudaTiling): void => {
    const key = `${d} ${path} ${tilingLabel(tiling)}`;
    if (d <= 128 && !seen.has(key)) { seen.add(key); items.push({ d, path, tiling }); }
  };
  for (const [suite, p] of all) {
    for (const path of SDPA_CUDA_PATHS) add(p.d, path, sdpaCudaTilingFor(p.h, p.s, p.d, gpu));
    if (suite) for (const path of sweepPaths as SdpaCudaPath[]) for (const t of sweepAt(p)) add(p.d, path, t);
  }
  // The tf32x3 variants take twice as long as the others: deal them out first, round robin.
  items.sort((a, b) => (a.path === 'tf32x3' ? 0 : 1) - (b.path === 'tf32x3' ? 0 : 1));
  const workers = Math.max(1, Math.min(8, Math.floor(availableParallelism() / 2), items.length));
  const parts = Array.from({ length: workers }, (_, w) => items.filter((_, i) => i % workers === w));
  const script = new URL('./sdpa-check-precompile.ts', import.meta.url).pathname;
  const run = promisify(execFile);
  const t = performance.now();
  const outs = await Promise.allSettled(parts.map((part) => run(process.execPath, [...process.execArgv, script, JSON.stringify(part)], { encoding: 'utf8', timeout: 60_000 })));
  const failed = outs.filter((o) => o.status === 'rejected').map((o) => ((o as PromiseRejectedResult).reason as Error).message.slice(0, 300));
  return `${items.length} kernels precompiled by ${workers} processes in ${((performance.now() - t) / 1000).toFixed(1)} s${failed.length ? `; ${failed.length} failed (the check compiles those itself): ${failed.join(' | ')}` : ''}`;
}
const compiling = precompile();

interface Case { suite: boolean; p: AttnP; want: Float64Array; host: Host }
const cases: Case[] = all.map(([suite, p]) => {
  const rng = seededRandom(p.h * 1_000_003 + p.s * 1009 + p.d);
  const shape = [p.h, p.s, p.d];
  const [q64, k64, v64] = [0, 1, 2].map(() => uniform(shape, rng).data as Float64Array) as [Float64Array, Float64Array, Float64Array];
  const want = ref.sdpa(q64, k64, v64, p.h, p.s, p.d, 1 / Math.sqrt(p.d));
  return { suite, p, want, host: { q: Float32Array.from(q64), k: Float32Array.from(k64), v: Float32Array.from(v64) } };
});
const precompiled = await compiling;
console.log(`${precompiled}; float64 references ready at ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const rows: Row[] = [];
for (const { suite, p, want, host } of cases) {
  const qkv = tensors(p, host);
  const scale = 1 / Math.sqrt(p.d);
  const call = (): tf.Tensor => sdpa(qkv[0], qkv[1], qkv[2], scale);
  const plan = sdpaCudaPlan(be, p.h, p.s, p.d);
  const auto = plan.tiling ? tilingLabel(plan.tiling) : plan.path;
  const checks: Check[] = [];
  for (const path of SDPA_CUDA_PATHS) checks.push(await withVariant(path, undefined, () => checkSafe(p, qkv, want, path, auto)));
  const row: Row = { size: attnLabel(p), h: p.h, s: p.s, d: p.d, suite, tiling: auto, checks };
  if (suite || p.d === 128) {
    const timing: Timing = { fusedMs: {}, sweepMs: {} };
    for (const path of SDPA_CUDA_PATHS) {
      if (!checks.find((c) => c.path === path)!.error) timing.fusedMs[path] = await withVariant(path, undefined, () => deviceMs(call, CALLS_FUSED));
    }
    timing.unfusedMs = await deviceMs(() => tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(qkv[0], qkv[1], false, true), scale)), qkv[2])), CALLS_UNFUSED);
    if (suite) {
      for (const path of sweepPaths as SdpaCudaPath[]) {
        timing.sweepMs[path] = {};
        for (const t of sweepAt(p)) {
          const label = tilingLabel(t);
          await withVariant(path, t, async () => {
            const c = await checkSafe(p, qkv, want, path, label);
            checks.push(c);
            if (!c.error) timing.sweepMs[path]![label] = await deviceMs(call, CALLS_FUSED);
          });
        }
      }
    }
    row.timing = timing;
  }
  tf.dispose(qkv);
  rows.push(row);
  const bad = checks.filter((c) => !c.withinTolerance || !c.poisoned);
  console.log(`${row.size} (heuristic ${auto}): ${checks.slice(0, 3).map((c) => `${c.path} max|err| ${c.maxAbs.toExponential(2)}`).join(', ')}; ${checks.length - 3} swept variants checked${bad.length ? `; NOT OK: ${bad.map((c) => `${c.path} ${c.tiling} ${c.error ? `threw: ${c.error}` : `err ${c.maxAbs.toExponential(1)} nonfinite ${c.nonFinite}${c.poisoned ? '' : ' (not poisoned)'}`}`).join(', ')}` : ''}`);
}
const cs = be.rt.compiler.stats;
console.log(`this process: ${cs.nvrtcCompiles} NVRTC compiles (${(cs.compileMs / 1000).toFixed(1)} s), ${cs.diskHits} cubins from the disk cache; checks and timing done at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const timed = rows.filter((r) => r.timing);
const torch = torchTimes(timed.map((r) => ({ h: r.h, s: r.s, d: r.d })));
if (torch && 'ms' in torch) for (const r of timed) r.timing!.torch = torch.ms[`${r.h}x${r.s}x${r.d}`];

const device = `${be.rt.facts.name} (${be.rt.facts.smCount} SMs, cc ${be.rt.facts.computeCapability}, driver ${be.rt.facts.driverVersion})`;
const method = `device ms per call: stream held by a blocking kernel while ${CALLS_FUSED} fused / ${CALLS_UNFUSED} unfused calls are queued, CUDA events around them (no host gaps), median of ${REPS}; PyTorch: CUDA-graph replay of 100 calls and events around 100 eager calls, median of 5 each`;

/** Per size and swept path, the quickest tiling. */
function best(t: Timing, path: string): { label: string; ms: number } | undefined {
  let b: { label: string; ms: number } | undefined;
  for (const [label, ms] of Object.entries(t.sweepMs[path] ?? {})) if (ms !== undefined && (!b || ms < b.ms)) b = { label, ms };
  return b;
}
const result = {
  device,
  defaultPath: sdpaCudaPathName(64),
  method,
  tolerance: tol,
  torch: torch && 'version' in torch ? { version: torch.version, device: torch.device } : torch,
  sweep: { paths: sweepPaths, tilings: sweep.map(tilingLabel) },
  compile: { precompiled, process: { ...be.rt.compiler.stats } },
  clustersRefused: sdpaCudaClustersRefused() ?? null,
  rows,
  best: Object.fromEntries(timed.filter((r) => r.suite).map((r) => [r.size, Object.fromEntries(sweepPaths.map((p) => [p, best(r.timing!, p)]))])),
  wallSeconds: 0,
};
result.wallSeconds = (performance.now() - t0) / 1000;
if (outPath) writeFileAtomic(outPath, `${JSON.stringify(result, null, 2)}\n`);

const us = (x: number | undefined): string => (x === undefined ? '—' : x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(3)} ms`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : (a / b).toFixed(2));
console.log(`\nSwept tilings (device time; quickest per size and path):`);
for (const r of timed.filter((x) => x.suite)) {
  for (const p of sweepPaths) {
    const entries = Object.entries(r.timing!.sweepMs[p] ?? {}).sort((a, b) => (a[1] ?? Infinity) - (b[1] ?? Infinity));
    console.log(`  ${r.size} ${p}: ${entries.map(([l, ms]) => `${l} ${us(ms)}`).join(', ')}`);
  }
}
console.log(`\nFusebenchSDPA on ${device}; default path: ${result.defaultPath}`);
console.log(`${method}; PyTorch ${torch === null ? 'not run (FUSEBENCH_PYTHON unset)' : 'error' in torch ? `failed: ${torch.error}` : `${torch.version} on ${torch.device}`}`);
const bestCols = sweepPaths.map((p) => `best ${p} (tiling)`);
console.log(`| size | heuristic tiling | fp32 | tf32 | tf32x3 | ${bestCols.join(' | ')} | unfused tfjs | PyTorch graph | PyTorch events | PyTorch kernel | fp32 / unfused | tf32x3 / unfused | fp32 / PyTorch graph | tf32x3 / PyTorch graph | worst err fp32 / tf32 / tf32x3 |`);
console.log(`|---|---|---|---|---|${bestCols.map(() => '---|').join('')}---|---|---|---|---|---|---|---|---|`);
for (const r of timed) {
  const t = r.timing!;
  const errs = SDPA_CUDA_PATHS.map((p) => {
    const cs = r.checks.filter((c) => c.path === p);
    const worst = Math.max(...cs.map((c) => c.maxAbs));
    return `${worst.toExponential(1)}${cs.every((c) => c.withinTolerance && c.poisoned) ? '' : '✗'}`;
  }).join(' / ');
  const bests = sweepPaths.map((p) => {
    const b = best(t, p);
    return b ? `${us(b.ms)} (${b.label})` : '—';
  });
  const g = t.torch?.graphMs;
  console.log(`| ${r.size} | ${r.tiling} | ${us(t.fusedMs.fp32)} | ${us(t.fusedMs.tf32)} | ${us(t.fusedMs.tf32x3)} | ${bests.join(' | ')} | ${us(t.unfusedMs)} | ${us(g)} | ${us(t.torch?.eventsMs)} | ${t.torch?.backend ?? '—'} | ${ratio(t.fusedMs.fp32, t.unfusedMs)} | ${ratio(t.fusedMs.tf32x3, t.unfusedMs)} | ${ratio(t.fusedMs.fp32, g)} | ${ratio(t.fusedMs.tf32x3, g)} | ${errs} |`);
}
const bad = rows.flatMap((r) => r.checks.filter((c) => !c.withinTolerance || !c.poisoned).map((c) => `${r.size} ${c.path} ${c.tiling}`));
const nChecks = rows.reduce((n, r) => n + r.checks.length, 0);
console.log(bad.length === 0 ? `all ${nChecks} checks (${rows.length} sizes × ${SDPA_CUDA_PATHS.length} paths, plus every swept tiling at every suite size) within tolerance (atol ${tol.atol}, rtol ${tol.rtol}), every output poisoned first` : `NOT OK: ${bad.join(', ')}`);
if (result.clustersRefused) console.log(`clusters refused, so the heuristic ran without key splits after it: ${result.clustersRefused}`);
console.log(`wall ${result.wallSeconds.toFixed(1)} s${outPath ? `; JSON: ${outPath}` : ''}`);
process.exit(bad.length === 0 ? 0 : 1);
