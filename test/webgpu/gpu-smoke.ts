/**
 * One-shot check of the webgpu backend on a machine with a GPU: detection, adapter and features, every
 * fusebench WGSL kernel against tfjs's cpu backend on random inputs (max errors), a few indicative
 * fused-vs-unfused timings, and the two calibration ceilings. Not a test file (vitest never runs it):
 *
 *   npx tsx test/webgpu/gpu-smoke.ts            # prints a summary; writes $OUT/webgpu-smoke.json if OUT is set
 *   npx tsx test/webgpu/gpu-smoke.ts --small    # small cases only, no timings or ceilings (for a software adapter)
 *   npx tsx test/webgpu/gpu-smoke.ts --only 'SDPA|QKT'   # cases whose name matches, large ones included;
 *                                                         # no timings or ceilings (combine with --small to drop large ones)
 *
 * Exit code 0 only when the backend is available, every kernel is within tolerance and no WebGPU error
 * was reported.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webgpuBackend } from '../../backends/webgpu/adapter.ts';
import { measureCopyBandwidth, measureMatmulRate } from '../../backends/webgpu/ceilings.ts';
import { registerFusebenchKernels } from '../../kernels/registry.ts';
import { BINARY_OPS, PHASE_42_COMPOSITIONS, type BinaryOp } from '../../kernels/ternary/spec.ts';
import { REF_BINARY, refTnot } from '../../kernels/ternary/reference.ts';
import { KERNEL_CASES, type HostTensor, type KernelCase } from './cases.ts';

const report: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version };
const log = (s: string): void => console.log(s);
/** Written after every stage, so a run cut short by a time limit still leaves what it measured. */
function flush(): void {
  if (process.env.OUT) writeFileSync(join(process.env.OUT, 'webgpu-smoke.json'), JSON.stringify(report, null, 2));
}
const SMALL = process.argv.includes('--small');
function onlyPattern(): RegExp | null {
  const i = process.argv.indexOf('--only');
  if (i < 0) return null;
  const src = process.argv[i + 1];
  if (src === undefined || src.startsWith('--')) {
    console.error('gpu-smoke: --only needs a regular expression (e.g. --only "SDPA|QKT")');
    process.exit(2);
  }
  try {
    return new RegExp(src);
  } catch (e) {
    console.error(`gpu-smoke: --only: invalid regular expression ${JSON.stringify(src)}: ${(e as Error).message}`);
    process.exit(2);
  }
}
const ONLY = onlyPattern();
/** Correctness only (no timings, no ceilings): --small, or a --only selection. */
const CHECK_ONLY = SMALL || ONLY !== null;
const CASES = KERNEL_CASES.filter((c) => (!SMALL || c.small) && (ONLY === null || ONLY.test(c.name)));

function shell(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return `(${cmd} failed: ${(e as Error).message.split('\n')[0]})`;
  }
}

interface KernelResult {
  readonly name: string;
  readonly maxAbs: number;
  readonly maxRel: number;
  readonly ok: boolean;
  readonly error?: string;
}

/** numpy allclose-style check; NaN anywhere fails. maxRel only over |want| ≥ 1e-3 (near zero it says nothing). */
function compare(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): { maxAbs: number; maxRel: number; ok: boolean } {
  let maxAbs = 0;
  let maxRel = 0;
  let ok = got.length === want.length;
  for (let i = 0; i < Math.min(got.length, want.length); i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= atol + rtol * Math.abs(want[i]!))) ok = false;
    if (!(d <= maxAbs)) maxAbs = d;
    if (Math.abs(want[i]!) >= 1e-3) {
      const r = d / Math.abs(want[i]!);
      if (!(r <= maxRel)) maxRel = r;
    }
  }
  return { maxAbs, maxRel, ok };
}

async function onBackend(name: string, c: KernelCase, host: HostTensor[], fn: 'fused' | 'reference'): Promise<Float32Array | Int32Array> {
  await tf.setBackend(name);
  const ts = host.map((x) => tf.tensor(x.data, x.shape, x.dtype));
  try {
    const out = tf.tidy(() => (fn === 'fused' ? c.fused(ts) : c.reference(ts)));
    const data = (await out.data()) as Float32Array | Int32Array;
    out.dispose();
    return data;
  } finally {
    ts.forEach((t) => t.dispose());
  }
}

async function checkKernels(): Promise<KernelResult[]> {
  const results: KernelResult[] = [];
  for (const c of CASES) {
    try {
      const host = c.makeInputs();
      const want = await onBackend('cpu', c, host, 'reference');
      const got = await onBackend('webgpu', c, host, 'fused');
      await webgpuBackend.sync(); // surfaces any WebGPU error recorded while running the kernel
      const r = compare(got, want, c.atol, c.rtol);
      results.push({ name: c.name, ...r });
      log(`${r.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(52)} maxAbs ${r.maxAbs.toExponential(2)}  maxRel ${r.maxRel.toExponential(2)}`);
    } catch (e) {
      results.push({ name: c.name, maxAbs: NaN, maxRel: NaN, ok: false, error: (e as Error).message.slice(0, 500) });
      log(`FAIL ${c.name}: ${(e as Error).message.slice(0, 500)}`);
    }
  }
  return results;
}

/** Exhaustive trit check of the 25 ternary variants: all 27 (a, b, c) combinations, exact. */
async function checkTernaryExhaustive(): Promise<KernelResult> {
  await tf.setBackend('webgpu');
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (const x of [-1, 0, 1]) for (const y of [-1, 0, 1]) for (const z of [-1, 0, 1]) { a.push(x); b.push(y); c.push(z); }
  const [ta, tb, tc] = [a, b, c].map((v) => tf.tensor1d(v, 'int32'));
  let bad = 0;
  const check = async (t: tf.Tensor, want: (i: number) => number): Promise<void> => {
    const got = await t.data();
    t.dispose();
    for (let i = 0; i < 27; i++) if (got[i] !== want(i)) bad++;
  };
  const run = (k: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, string | boolean>): tf.Tensor =>
    tf.engine().runKernel(k, inputs, { ...attrs, validate: false } as unknown as tf.NamedAttrMap) as tf.Tensor;
  await check(run('TernaryUnary', { x: ta! }, { op: 'tnot' }), (i) => refTnot(a[i]!));
  for (const op of BINARY_OPS) {
    await check(run('TernaryBinary', { a: ta!, b: tb! }, { op }), (i) => REF_BINARY[op](a[i]!, b[i]!));
    await check(run('TernaryNotBinary', { a: ta!, b: tb! }, { op }), (i) => refTnot(REF_BINARY[op](a[i]!, b[i]!)));
  }
  for (const [inner, outer] of PHASE_42_COMPOSITIONS as ReadonlyArray<readonly [BinaryOp, BinaryOp]>) {
    await check(run('TernaryFused3', { a: ta!, b: tb!, c: tc! }, { inner, outer }), (i) => REF_BINARY[outer](REF_BINARY[inner](a[i]!, b[i]!), c[i]!));
  }
  [ta, tb, tc].forEach((t) => t!.dispose());
  const r = { name: 'ternary: 25 variants × 27 trit triples (exact)', maxAbs: bad, maxRel: 0, ok: bad === 0 };
  log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${bad} wrong)`);
  return r;
}

interface Timing {
  readonly name: string;
  readonly unfusedMs: number;
  readonly fusedMs: number;
  readonly unfusedKernelMs?: number;
  readonly fusedKernelMs?: number;
  /** Kernels each variant launches (tf.profile). */
  readonly unfusedKernels: string[];
  readonly fusedKernels: string[];
}

async function kernelNames(fn: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => fn());
  tf.dispose(info.result as tf.Tensor);
  return info.kernels.map((k) => k.name);
}

async function timeCall(fn: () => tf.Tensor, calls: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const out = fn();
    await out.data();
    ms.push(performance.now() - t0);
    out.dispose();
  }
  ms.sort((x, y) => x - y);
  return ms[ms.length >> 1]!;
}

async function kernelMs(fn: () => tf.Tensor): Promise<number | undefined> {
  if (!webgpuBackend.hasKernelTiming) return undefined;
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) ms.push((await tf.time(() => fn().dispose())).kernelMs as number);
  ms.sort((x, y) => x - y);
  return ms[2];
}

async function indicativeTimings(): Promise<Timing[]> {
  await tf.setBackend('webgpu');
  const out: Timing[] = [];
  for (const c of KERNEL_CASES.filter((k) => k.timed)) {
    const ts = c.makeInputs().map((x) => tf.tensor(x.data, x.shape, x.dtype));
    const fused = (): tf.Tensor => tf.tidy(() => c.fused(ts));
    const unfused = (): tf.Tensor => tf.tidy(() => c.reference(ts));
    await timeCall(fused, 2);
    await timeCall(unfused, 2);
    const t: Timing = {
      name: c.name,
      unfusedMs: await timeCall(unfused, 15),
      fusedMs: await timeCall(fused, 15),
      unfusedKernelMs: await kernelMs(unfused),
      fusedKernelMs: await kernelMs(fused),
      unfusedKernels: await kernelNames(unfused),
      fusedKernels: await kernelNames(fused),
    };
    ts.forEach((x) => x.dispose());
    out.push(t);
    const k = t.fusedKernelMs !== undefined ? `  kernel ${t.unfusedKernelMs?.toFixed(3)} → ${t.fusedKernelMs.toFixed(3)} ms` : '';
    log(`time ${c.name.padEnd(52)} wall ${t.unfusedMs.toFixed(3)} → ${t.fusedMs.toFixed(3)} ms${k}  [${t.unfusedKernels.join(' ')}] → [${t.fusedKernels.join(' ')}]`);
  }
  return out;
}

async function main(): Promise<number> {
  log(`gpu: ${shell('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'])}`);
  report.nvidiaSmi = shell('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader']);
  report.vkDriverFiles = process.env.VK_DRIVER_FILES ?? null;
  const availability = await webgpuBackend.detect();
  report.availability = availability;
  log(`detect: ${JSON.stringify(availability)}`);
  if (!availability.available) return 1;
  await webgpuBackend.init();
  const names = await registerFusebenchKernels('webgpu');
  const device = webgpuBackend.gpuDevice();
  report.device = webgpuBackend.describe();
  report.hasKernelTiming = webgpuBackend.hasKernelTiming;
  report.adapterFeatures = webgpuBackend.adapterFeatures();
  report.limits = {
    maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    maxBufferSize: device.limits.maxBufferSize,
    maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
  };
  report.registeredKernels = names;
  log(`device: ${JSON.stringify(report.device)}`);
  log(`limits: ${JSON.stringify(report.limits)}`);
  log(`adapter features: ${webgpuBackend.adapterFeatures().join(', ')}`);
  log(`hasKernelTiming: ${webgpuBackend.hasKernelTiming}; registered: ${names.join(', ')}`);

  flush();
  const kernels = await checkKernels();
  if (ONLY === null || ONLY.test('ternary')) kernels.push(await checkTernaryExhaustive());
  report.kernels = kernels;
  flush();
  if (CHECK_ONLY) {
    report.gpuErrors = webgpuBackend.gpuErrors();
    await webgpuBackend.teardown();
    const bad = kernels.filter((k) => !k.ok).length;
    log(`${kernels.length - bad}/${kernels.length} kernel checks passed (correctness only: no timings, no ceilings)`);
    return bad === 0 && kernels.length > 0 ? 0 : 1;
  }
  try {
    report.timings = await indicativeTimings();
  } catch (e) {
    report.timingsError = (e as Error).message;
    log(`timings failed: ${(e as Error).message}`);
  }
  flush();
  try {
    const copy = await measureCopyBandwidth(device);
    report.copyBandwidth = copy;
    for (const m of [copy.bufferCopy, copy.shaderCopy]) {
      log(`ceiling: ${m.gbps.toFixed(1)} GB/s wall${m.gpuGbps ? `, ${m.gpuGbps.toFixed(1)} GB/s GPU timestamps` : ''} (${m.method})`);
    }
    log(`ceiling: device copy bandwidth ${copy.gbps.toFixed(1)} GB/s (from ${copy.from})`);
    const mm = await measureMatmulRate();
    report.matmul = mm;
    for (const p of mm.points) log(`ceiling: matmul n=${p.n} ${p.ms.toFixed(3)} ms ${p.gflops.toFixed(0)} GFLOP/s wall${p.kernelGflops ? `, ${p.kernelGflops.toFixed(0)} GFLOP/s kernel` : ''}`);
  } catch (e) {
    report.ceilingsError = (e as Error).message;
    log(`ceilings failed: ${(e as Error).message}`);
  }
  report.gpuErrors = webgpuBackend.gpuErrors();
  log(`WebGPU errors: ${webgpuBackend.gpuErrors().length}`);
  await webgpuBackend.teardown();
  const failed = kernels.filter((k) => !k.ok).length;
  log(`${kernels.length - failed}/${kernels.length} kernel checks passed`);
  return failed === 0 && (report.gpuErrors as string[]).length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  report.fatal = (e as Error).stack ?? String(e);
  console.error(e);
}
report.finishedAt = new Date().toISOString();
flush();
// dawn.node keeps Node alive while its instance lives (see backends/webgpu/dawn.ts).
process.exit(code);
