/** Shared shape math for the Attention family: q, k, v [heads, seq, 64] (batch 1, heads folded into the batch). */
import { uniform, ref, type HostInputs } from 'fusebench';
import { costOf, pass } from '../traffic.ts';

export type AttnP = { h: number; s: number; d: number };

export const attnLabel = (p: AttnP): string => `${p.h}h×${p.s}×${p.d}`;
/** Score elements h·s²: what the unfused sequence materialises and fusion avoids. */
export const attnMagnitude = (p: AttnP): number => p.h * p.s * p.s;
export const attnScale = (p: AttnP): number => 1 / Math.sqrt(p.d);

/**
 * BERT-base attention (12 heads of 64) at sequence 64–512; longer sequences with fewer heads keep one call and
 * its float64 reference affordable on the JavaScript backends (per-head cost is the same at 12 heads).
 */
export const attnSizes: { full: AttnP[]; quick: AttnP[] } = {
  full: [
    { h: 12, s: 64, d: 64 },
    { h: 12, s: 128, d: 64 },
    { h: 12, s: 256, d: 64 },
    { h: 2, s: 1024, d: 64 },
    { h: 12, s: 512, d: 64 },
    { h: 1, s: 2048, d: 64 },
  ],
  // One size with several heads, one with a single head: tfjs-wasm routes batch-1 matMuls to XNNPACK.
  quick: [
    { h: 2, s: 64, d: 64 },
    { h: 1, s: 128, d: 64 },
  ],
};

export const ATTN_STANDS_FOR = [
  'BERT-base self-attention, 12 heads × 64, sequence 128–512',
  'long-context attention heads of 64 at sequence 1024–2048 (2 heads and 1 head here; 12 heads cost 6× and 12× more)',
];

export function attnInputs(withV: boolean) {
  return (p: AttnP, rng: () => number): HostInputs => {
    const shape = [p.h, p.s, p.d];
    const qk = { q: uniform(shape, rng), k: uniform(shape, rng) };
    return withV ? { ...qk, v: uniform(shape, rng) } : qk;
  };
}

const sizes = (p: AttnP) => ({ qkv: p.h * p.s * p.d, scores: p.h * p.s * p.s });

export function qktCost(p: AttnP) {
  const { qkv, scores } = sizes(p);
  return costOf(
    2 * p.h * p.s * p.s * p.d,
    [pass('Transpose', qkv, qkv), pass('BatchMatMul', 2 * qkv, scores)],
    [pass('BatchMatMul (transposeB)', 2 * qkv, scores)],
  );
}

/** Softmax counted as tfjs sees it, one kernel reading and writing the scores once (backends may do more passes inside). */
export function qktSoftmaxCost(p: AttnP) {
  const { qkv, scores } = sizes(p);
  return costOf(
    2 * p.h * p.s * p.s * p.d + 6 * scores,
    [pass('Transpose', qkv, qkv), pass('BatchMatMul', 2 * qkv, scores), pass('Multiply', scores, scores), pass('Softmax', scores, scores)],
    [pass('FusebenchQKTSoftmax', 2 * qkv, scores)],
  );
}

export function sdpaCost(p: AttnP) {
  const { qkv, scores } = sizes(p);
  return costOf(
    4 * p.h * p.s * p.s * p.d + 6 * scores,
    [pass('BatchMatMul', 2 * qkv, scores), pass('Multiply', scores, scores), pass('Softmax', scores, scores), pass('BatchMatMul', scores + qkv, qkv)],
    [pass('FusebenchSDPA', 3 * qkv, qkv)],
  );
}

type X = Readonly<Record<string, Float64Array>>;
export const qktReference = (x: X, p: AttnP): Float64Array => ref.batchedMatmul(x.q, x.k, p.h, p.s, p.d, p.s, true);
export const qktSoftmaxReference = (x: X, p: AttnP): Float64Array => ref.qktSoftmax(x.q, x.k, p.h, p.s, p.d, attnScale(p));
export const sdpaReference = (x: X, p: AttnP): Float64Array => ref.sdpa(x.q, x.k, x.v, p.h, p.s, p.d, attnScale(p));
