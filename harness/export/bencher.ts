/**
 * Bencher Metric Format: `{ "<benchmark>": { "<measure>": { value, lower_value?, upper_value? } } }`.
 * Per measured size:
 *   `<row> · fused`, `<row> · unfused`   measure `latency` (Bencher's built-in, in nanoseconds):
 *                                       median per call, bounded by p10 and p90
 *   `<row>`                             measure `speedup` (created on first upload; bigger is better):
 *                                       ratio of medians, bounded by the bootstrap CI
 */
import type { RunResults, VariantStats } from '../core/types.ts';
import { exportRows } from './rows.ts';

export interface BmfMetric {
  readonly value: number;
  readonly lower_value?: number;
  readonly upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

const NS_PER_MS = 1e6;

function latency(v: VariantStats): BmfMetric {
  return { value: v.throughputMs * NS_PER_MS, lower_value: v.p10Ms * NS_PER_MS, upper_value: v.p90Ms * NS_PER_MS };
}

export function toBencherBmf(results: RunResults): { bmf: Bmf; skipped: string[] } {
  const { rows, skipped } = exportRows(results);
  const bmf: Bmf = {};
  for (const r of rows) {
    bmf[`${r.name} · fused`] = { latency: latency(r.fused) };
    bmf[`${r.name} · unfused`] = { latency: latency(r.unfused) };
    bmf[r.name] = { speedup: { value: r.speedup.ratio, lower_value: r.speedup.lo, upper_value: r.speedup.hi } };
  }
  return { bmf, skipped };
}
