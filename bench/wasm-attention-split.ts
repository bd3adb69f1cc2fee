/**
 * How much of the wasm attention speedup is fusion and how much is the GEMM (docs/wasm-attention.md). Per suite
 * size, the best of interleaved rounds (the least disturbed on a shared machine) of three ways to compute the same
 * thing on tfjs-backend-wasm:
 *   tfjs        the suite's unfused ops (their matMul: XNNPACK for one head without transposes, else the scalar loop)
 *   sameGemm    unfused with the kernels' generated GEMM: full S × S scores written by the GEMM, then tf.mul and
 *               tf.softmax over them, then (SDPA) the GEMM for p·v: every pass of the unfused sequence, our GEMM
 *   fused       the fusebench kernel (FusebenchQKTSoftmax / FusebenchSDPA)
 * tfjs ÷ sameGemm is what the GEMM buys, sameGemm ÷ fused what fusion buys; their product is the suite's speedup.
 * Each call ends with the result read back, as the harness times it.
 *   npx tsx bench/wasm-attention-split.ts [--quick] [--rounds 5] [--out file.json]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { wasmBackend } from '../backends/wasm.ts';
import { registerFusebenchKernels } from '../kernels/registry.ts';
import * as ops from '../kernels/ops.ts';
import { writeFileAtomic } from '../harness/core/io.ts';
import { asWasmBackend, tensorData, type WasmBackendLike } from '../kernels/common/wasm_heap.ts';
import { simdKernelsFor, type SimdKernels } from '../kernels/common/wasm_simd.ts';
import { packKeys, PANEL } from '../kernels/common/wasm_attention.ts';
import { attnLabel, attnScale, attnSizes, type AttnP } from '../suites/attention/shapes.ts';

/** A tensor on the wasm heap that the GEMM fills (makeOutput leaves it uninitialised, as tfjs's own outputs are). */
function output(w: WasmBackendLike, shape: number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(w.makeOutput(shape, 'float32'));
}

/** softmax(scale·q·kᵀ) the unfused way, with the generated GEMM for q·kᵀ. */
function scoresSameGemm(w: WasmBackendLike, simd: SimdKernels, q: tf.Tensor, k: tf.Tensor, p: AttnP): tf.Tensor {
  const { h, s, d } = p;
  const scores = output(w, [h, s, s]);
  const keys = output(w, [s, d]);
  const off = (t: tf.Tensor): number => tensorData(w, t, 'bench').memoryOffset;
  for (let i = 0; i < h; i++) {
    packKeys(w, off(k) + 4 * i * s * d, s, d, off(keys));
    simd.gemm(off(q) + 4 * i * s * d, 4 * d, off(keys), 4 * d * PANEL, 4 * PANEL, off(scores) + 4 * i * s * s, 4 * s, s, s / PANEL, d, 1);
  }
  return tf.softmax(tf.mul(scores, attnScale(p)));
}

function sdpaSameGemm(w: WasmBackendLike, simd: SimdKernels, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, p: AttnP): tf.Tensor {
  const { h, s, d } = p;
  const probs = scoresSameGemm(w, simd, q, k, p);
  const out = output(w, [h, s, d]);
  const off = (t: tf.Tensor): number => tensorData(w, t, 'bench').memoryOffset;
  for (let i = 0; i < h; i++) {
    simd.gemm(off(probs) + 4 * i * s * s, 4 * s, off(v) + 4 * i * s * d, 4 * PANEL, 4 * d, off(out) + 4 * i * s * d, 4 * d, s, d / PANEL, s, 1);
  }
  return out;
}

type Way = 'tfjs' | 'sameGemm' | 'fused';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string', default: '5' }, out: { type: 'string' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`wasm-attention-split: --rounds must be a positive integer (got ${values.rounds})`);
    return 2;
  }
  await wasmBackend.init();
  await registerFusebenchKernels('wasm');
  const w = asWasmBackend(tf.backend(), 'bench');
  const simd = simdKernelsFor(tf.backend(), 'bench');
  const rows: Array<{ pattern: string; size: string } & Record<Way, number>> = [];
  for (const p of values.quick ? attnSizes.quick : attnSizes.full) {
    if (p.s % PANEL !== 0 || p.d % PANEL !== 0) throw new Error(`wasm-attention-split: ${attnLabel(p)}: S and D must be multiples of ${PANEL}`);
    const [q, k, v] = [0, 1, 2].map(() => tf.randomUniform([p.h, p.s, p.d], -1, 1));
    const scale = attnScale(p);
    const patterns: Array<[string, Record<Way, () => tf.Tensor>]> = [
      ['QKT_Softmax', {
        tfjs: () => tf.softmax(tf.mul(tf.matMul(q, tf.transpose(k, [0, 2, 1])), scale)),
        sameGemm: () => scoresSameGemm(w, simd, q, k, p),
        fused: () => ops.qktSoftmax(q, k, scale),
      }],
      ['Attention_SDPA', {
        tfjs: () => tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale)), v),
        sameGemm: () => sdpaSameGemm(w, simd, q, k, v, p),
        fused: () => ops.sdpa(q, k, v, scale),
      }],
    ];
    for (const [pattern, ways] of patterns) {
      const times: Record<Way, number[]> = { tfjs: [], sameGemm: [], fused: [] };
      const want = Float32Array.from(tf.tidy(ways.tfjs).dataSync());
      for (const way of ['sameGemm', 'fused'] as const) {
        const got = Float32Array.from(tf.tidy(ways[way]).dataSync());
        const worst = got.reduce((m, x, i) => Math.max(m, Math.abs(x - want[i])), 0);
        if (!(worst < 1e-4)) throw new Error(`wasm-attention-split: ${pattern} ${attnLabel(p)}: ${way} differs from tfjs by ${worst}`);
      }
      for (let r = -2; r < rounds; r++) { // two warm-up rounds
        for (const way of ['tfjs', 'sameGemm', 'fused'] as const) {
          const t0 = performance.now();
          const y = tf.tidy(ways[way]);
          await y.data();
          y.dispose();
          if (r >= 0) times[way].push(performance.now() - t0);
        }
      }
      const m = { tfjs: Math.min(...times.tfjs), sameGemm: Math.min(...times.sameGemm), fused: Math.min(...times.fused) };
      rows.push({ pattern, size: attnLabel(p), ...m });
      console.log(`${pattern.padEnd(14)} ${attnLabel(p).padEnd(11)} tfjs ${m.tfjs.toFixed(2)} ms, same GEMM unfused ${m.sameGemm.toFixed(2)} ms, fused ${m.fused.toFixed(2)} ms: ` +
        `GEMM ${(m.tfjs / m.sameGemm).toFixed(2)}× · fusion ${(m.sameGemm / m.fused).toFixed(2)}× = ${(m.tfjs / m.fused).toFixed(2)}×`);
    }
    tf.dispose([q, k, v]);
  }
  if (values.out) writeFileAtomic(values.out, JSON.stringify({ createdAt: new Date().toISOString(), command: `npx tsx bench/wasm-attention-split.ts ${argv.join(' ')}`.trim(), rounds, rows }, null, 1));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
