/**
 * The GEMM rates behind the wasm attention kernels (docs/wasm-attention.md), at the attention suites' per-head
 * shapes, on tfjs-backend-wasm's own heap: per shape, the medians of interleaved rounds of
 *   xnnpack     tf.matMul(a [1, M, K], b [1, K, N]): batch 1, no transpose, the one case tfjs-wasm gives XNNPACK
 *   scalar      tf.matMul(a, bᵀ, false, true): transposed B, which tfjs-wasm runs in its scalar loop (as any batch > 1)
 *   generated   the kernels' f32x4 GEMM (kernels/common/wasm_gemm.ts) in blocks of rows, as the kernels call it
 * and the compute ceilings, with no memory traffic (wasm SIMD has no FMA in Node 20, so a multiply-add is f32x4.mul then
 * f32x4.add): 10 independent register chains acc = acc·m + m, the most V8 keeps in x64's vector registers without
 * spilling (12, which a 3-cycle mul and a 3-cycle add on 2 + 2 pipes would need to fill the pipes, spill); and 4
 * chains, bound by the 6-cycle mul→add latency at 16/3 FLOP per cycle, which gives the clock and so the issue limit
 * of 16 FLOP per cycle (2 f32x4 mul + 2 f32x4 add).
 *   npx tsx bench/wasm-gemm.ts [--rounds 7] [--out file.json]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { wasmBackend } from '../backends/wasm.ts';
import { writeFileAtomic } from '../harness/io.ts';
import { median } from '../harness/stats.ts';
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
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string', default: '7' }, out: { type: 'string' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`wasm-gemm: --rounds must be a positive integer (got ${values.rounds})`);
    return 2;
  }
  await wasmBackend.init();
  const backend = tf.backend();
  const w = asWasmBackend(backend, 'bench');
  const simd = simdKernelsFor(backend, 'bench');

  const memory = new WebAssembly.Memory({ initial: 1 });
  /** GFLOP/s of `chains` register chains, best of the rounds. */
  const chainRate = (chains: number): number => {
    const peak = (new WebAssembly.Instance(peakModule(chains), { env: { memory } }).exports as { peak: (n: number, m: number) => void }).peak;
    const iters = 20_000_000;
    peak(iters / 10, 0.999);
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      peak(iters, 0.999);
      times.push(performance.now() - t0);
    }
    return (8 * chains * iters) / (Math.min(...times) * 1e6);
  };
  const registers = chainRate(10);
  const latencyBound = chainRate(4);
  const ghz = latencyBound / (16 / 3);
  const issueLimit = 16 * ghz;
  console.log(`ceiling: 10 f32x4 mul→add register chains ${registers.toFixed(1)} GFLOP/s; 4 chains (latency-bound, 16/3 FLOP/cycle) ${latencyBound.toFixed(1)} GFLOP/s → ${ghz.toFixed(2)} GHz → issue limit 16 FLOP/cycle = ${issueLimit.toFixed(1)} GFLOP/s (best of ${rounds})`);

  const rows: Array<Shape & Record<'xnnpack' | 'scalar' | 'generated', number>> = [];
  for (const sh of shapes) {
    const a = tf.randomUniform([1, sh.m, sh.k], -1, 1);
    const b = tf.randomUniform([1, sh.k, sh.n], -1, 1);
    const bT = tf.randomUniform([1, sh.n, sh.k], -1, 1);
    const packed = tf.randomUniform([panelsFor(sh.n) * PANEL * sh.k], -1, 1); // contents do not change the time
    const c = tf.zeros([sh.m, panelsFor(sh.n) * PANEL]);
    const off = (t: tf.Tensor): number => tensorData(w, t, 'bench').memoryOffset;
    const block = blockRows(sh.n);
    const variants = {
      xnnpack: () => tf.matMul(a, b).dispose(),
      scalar: () => tf.matMul(a, bT, false, true).dispose(),
      generated: () => {
        const ldc = 4 * panelsFor(sh.n) * PANEL;
        for (let i = 0; i < sh.m; i += block) {
          simd.gemm(off(a) + 4 * i * sh.k, 4 * sh.k, off(packed), 4 * PANEL * sh.k, 4 * PANEL, off(c) + i * ldc, ldc, Math.min(block, sh.m - i), panelsFor(sh.n), sh.k, 1);
        }
      },
    };
    const times: Record<keyof typeof variants, number[]> = { xnnpack: [], scalar: [], generated: [] };
    const calls = Math.max(1, Math.round(2e8 / (2 * sh.m * sh.n * sh.k)));
    for (let r = -1; r < rounds; r++) {
      for (const [name, f] of Object.entries(variants) as Array<[keyof typeof variants, () => void]>) {
        const t0 = performance.now();
        for (let q = 0; q < (name === 'scalar' ? Math.max(1, calls >> 3) : calls); q++) f();
        if (r >= 0) times[name].push((performance.now() - t0) / (name === 'scalar' ? Math.max(1, calls >> 3) : calls));
      }
    }
    const flops = 2 * sh.m * sh.n * sh.k;
    const rate = (t: number[]): number => flops / (median(t) * 1e6);
    rows.push({ ...sh, xnnpack: rate(times.xnnpack), scalar: rate(times.scalar), generated: rate(times.generated) });
    const last = rows[rows.length - 1];
    console.log(`${sh.what.padEnd(14)} ${sh.m}×${sh.k}·${sh.k}×${sh.n}: GFLOP/s xnnpack ${last.xnnpack.toFixed(1)}, scalar ${last.scalar.toFixed(2)}, generated ${last.generated.toFixed(1)}`);
    tf.dispose([a, b, bT, packed, c]);
  }
  if (values.out) {
    writeFileAtomic(values.out, JSON.stringify({ createdAt: new Date().toISOString(), command: `npx tsx bench/wasm-gemm.ts ${argv.join(' ')}`.trim(), rounds, ceilings: { registers, latencyBound, ghz, issueLimit }, rows }, null, 1));
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
