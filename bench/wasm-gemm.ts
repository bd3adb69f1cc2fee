/**
 * The GEMM rates behind the wasm attention kernels (docs/wasm-attention.md), at the attention suites' per-head
 * shapes, on tfjs-backend-wasm's own heap: per shape, the best of --passes passes over every shape and variant in
 * turn (the least disturbed on a shared machine; every figure here is a rate, so the best pass is its estimate) of
 *   xnnpack     tf.matMul(a [1, M, K], b [1, K, N]): batch 1, no transpose, the one case tfjs-wasm gives XNNPACK
 *   scalar      tf.matMul(a, bᵀ, false, true): transposed B, which tfjs-wasm runs in its scalar loop (as any batch > 1)
 *   generated   the kernels' f32x4 GEMM (kernels/common/wasm_gemm.ts) in blocks of rows, as the kernels call it
 * and the compute ceiling. wasm SIMD has no FMA in Node 20, so a multiply-add is f32x4.mul then f32x4.add, and this
 * core issues 2 of each per cycle: 16 FLOP per cycle. The clock is not exposed in this VM, so it is measured: 4
 * independent register chains acc = acc·m + m are bound by the 3-cycle mul plus 3-cycle add latency, 4 · 8 FLOP per
 * 6 cycles, so their rate ÷ 16/3 is the clock. (Chains enough to fill the pipes, 12, need more vector registers than
 * V8 keeps free on x64, so the issue limit cannot be run directly.)
 *   npx tsx bench/wasm-gemm.ts [--passes 5] [--out file.json]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { wasmBackend } from '../backends/wasm.ts';
import { writeFileAtomic } from '../harness/core/io.ts';
import { asWasmBackend, tensorData } from '../kernels/common/wasm_heap.ts';
import { simdKernelsFor } from '../kernels/common/wasm_simd.ts';
import { blockRows, PANEL, panelsFor } from '../kernels/common/wasm_attention.ts';
import { encodeModule, F32, I32, loopWhileBelow, op, simdOp, V128 } from '../kernels/common/wasm_encoder.ts';

/** peak(n, m): n iterations of acc_c = acc_c·m + m on `chains` independent f32x4 accumulators (8·chains FLOPs each). */
function peakModule(chains: number): WebAssembly.Module {
  const [n, m, i, mv] = [0, 1, 2, 3];
  const acc = (c: number): number => 4 + c;
  const body: number[] = [];
  for (let c = 0; c < chains; c++) body.push(op.localGet, acc(c), op.localGet, mv, ...simdOp.f32x4Mul, op.localGet, mv, ...simdOp.f32x4Add, op.localSet, acc(c));
  const sink: number[] = [];
  for (let c = 1; c < chains; c++) sink.push(op.localGet, acc(c), ...simdOp.f32x4Add);
  return new WebAssembly.Module(encodeModule([{
    exportName: 'peak', params: [I32, F32], locals: [[1, I32], [1 + chains, V128]],
    body: [op.localGet, m, ...simdOp.f32x4Splat, op.localSet, mv, ...loopWhileBelow(i, n, 1, body),
      // keep the chains alive: their sum goes to address 0 of a one-page memory
      op.i32Const, 0, op.localGet, acc(0), ...sink, ...simdOp.store, 2, 0],
  }]));
}

interface Shape { readonly what: string; readonly m: number; readonly n: number; readonly k: number }

const shapes: Shape[] = [];
for (const s of [64, 128, 256, 512, 1024, 2048]) {
  shapes.push({ what: `q·kᵀ, S ${s}`, m: s, n: s, k: 64 }, { what: `p·v, S ${s}`, m: s, n: 64, k: s });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { passes: { type: 'string', default: '5' }, out: { type: 'string' } } });
  const passes = Number(values.passes);
  if (!Number.isInteger(passes) || passes < 1) {
    console.error(`wasm-gemm: --passes must be a positive integer (got ${values.passes})`);
    return 2;
  }
  await wasmBackend.init();
  const backend = tf.backend();
  const w = asWasmBackend(backend, 'bench');
  const simd = simdKernelsFor(backend, 'bench');

  const memory = new WebAssembly.Memory({ initial: 1 });
  const chains = (n: number) => (new WebAssembly.Instance(peakModule(n), { env: { memory } }).exports as { peak: (n: number, m: number) => void }).peak;
  const latency = { chains: 4, run: chains(4), best: Infinity };
  const ITERS = 20_000_000;

  type Variant = 'xnnpack' | 'scalar' | 'generated';
  const off = (t: tf.Tensor): number => tensorData(w, t, 'bench').memoryOffset;
  const cases = shapes.map((sh) => {
    const a = tf.randomUniform([1, sh.m, sh.k], -1, 1);
    const b = tf.randomUniform([1, sh.k, sh.n], -1, 1);
    const bT = tf.randomUniform([1, sh.n, sh.k], -1, 1);
    const packed = tf.randomUniform([panelsFor(sh.n) * PANEL * sh.k], -1, 1); // contents do not change the time
    const c = tf.zeros([sh.m, panelsFor(sh.n) * PANEL]);
    const block = blockRows(sh.n);
    const ldc = 4 * panelsFor(sh.n) * PANEL;
    const variants: Record<Variant, () => void> = {
      xnnpack: () => tf.matMul(a, b).dispose(),
      scalar: () => tf.matMul(a, bT, false, true).dispose(),
      generated: () => {
        for (let i = 0; i < sh.m; i += block) {
          simd.gemm(off(a) + 4 * i * sh.k, 4 * sh.k, off(packed), 4 * PANEL * sh.k, 4 * PANEL, off(c) + i * ldc, ldc, Math.min(block, sh.m - i), panelsFor(sh.n), sh.k, 1);
        }
      },
    };
    const calls = Math.max(1, Math.round(2e8 / (2 * sh.m * sh.n * sh.k)));
    const callsOf: Record<Variant, number> = { xnnpack: calls, scalar: Math.max(1, calls >> 3), generated: calls };
    return { sh, tensors: [a, b, bT, packed, c], variants, callsOf, best: { xnnpack: Infinity, scalar: Infinity, generated: Infinity } as Record<Variant, number> };
  });
  // Passes over everything, so that a burst of load from elsewhere spoils one pass of a shape, not all of its rounds.
  for (let pass = -1; pass < passes; pass++) {
    const t0 = performance.now();
    latency.run(pass < 0 ? ITERS / 10 : ITERS, 0.999);
    if (pass >= 0) latency.best = Math.min(latency.best, performance.now() - t0);
    for (const k of cases) {
      for (const [name, f] of Object.entries(k.variants) as Array<[Variant, () => void]>) {
        const t0 = performance.now();
        for (let q = 0; q < k.callsOf[name]; q++) f();
        if (pass >= 0) k.best[name] = Math.min(k.best[name], (performance.now() - t0) / k.callsOf[name]);
      }
    }
  }
  const gflops = (flops: number, msPerCall: number): number => flops / (msPerCall * 1e6);
  const latencyBound = gflops(8 * latency.chains * ITERS, latency.best);
  const ghz = latencyBound / (16 / 3);
  const issueLimit = 16 * ghz;
  console.log(`ceiling: 4 f32x4 mul→add chains (latency-bound, 16/3 FLOP/cycle) ${latencyBound.toFixed(1)} GFLOP/s → ${ghz.toFixed(2)} GHz → issue limit 16 FLOP/cycle = ${issueLimit.toFixed(1)} GFLOP/s`);
  const rows = cases.map(({ sh, best }) => {
    const flops = 2 * sh.m * sh.n * sh.k;
    const row = { ...sh, xnnpack: gflops(flops, best.xnnpack), scalar: gflops(flops, best.scalar), generated: gflops(flops, best.generated) };
    console.log(`${sh.what.padEnd(14)} ${sh.m}×${sh.k}·${sh.k}×${sh.n}: GFLOP/s xnnpack ${row.xnnpack.toFixed(1)}, scalar ${row.scalar.toFixed(2)}, generated ${row.generated.toFixed(1)}`);
    return row;
  });
  tf.dispose(cases.flatMap((k) => k.tensors));
  if (values.out) {
    writeFileAtomic(values.out, JSON.stringify({ createdAt: new Date().toISOString(), command: `npx tsx bench/wasm-gemm.ts ${argv.join(' ')}`.trim(), passes, ceilings: { latencyBound, ghz, issueLimit }, rows }, null, 1));
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
