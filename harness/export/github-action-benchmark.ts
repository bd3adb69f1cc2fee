/**
 * github-action-benchmark's `customSmallerIsBetter` format: `[{ name, unit, value, range?, extra? }]`.
 * Per measured size, three entries:
 *   `<row> · fused` and `<row> · unfused`   median ms per call; range = ± half the p10–p90 spread
 *   `<row> · fused/unfused time`            1 / speedup (smaller is better, and unlike times it carries
 *                                           across machines); range = ± half the width of the inverted CI
 */
import type { RunResults, VariantStats } from '../core/types.ts';
import { exportRows } from './rows.ts';

export interface CustomBenchmarkEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** Free text; the action shows it next to the value, e.g. "± 0.12". */
  readonly range?: string;
  readonly extra?: string;
}

const round = (x: number, digits = 6): number => Number(x.toPrecision(digits));

function timeEntry(name: string, v: VariantStats): CustomBenchmarkEntry {
  return {
    name,
    unit: 'ms',
    value: round(v.throughputMs),
    range: `± ${round((v.p90Ms - v.p10Ms) / 2, 3)}`,
    extra: `median of ${v.samplesMs.length} rounds; p10 ${round(v.p10Ms, 4)} ms, p90 ${round(v.p90Ms, 4)} ms`,
  };
}

export function toCustomSmallerIsBetter(results: RunResults): { entries: CustomBenchmarkEntry[]; skipped: string[] } {
  const { rows, skipped } = exportRows(results);
  const entries: CustomBenchmarkEntry[] = [];
  for (const r of rows) {
    entries.push(timeEntry(`${r.name} · fused`, r.fused), timeEntry(`${r.name} · unfused`, r.unfused));
    const inv = { value: 1 / r.speedup.ratio, lo: 1 / r.speedup.hi, hi: 1 / r.speedup.lo };
    entries.push({
      name: `${r.name} · fused/unfused time`,
      unit: 'ratio',
      value: round(inv.value),
      range: `± ${round((inv.hi - inv.lo) / 2, 3)}`,
      extra: `speedup ${r.speedup.ratio.toFixed(3)}× [${r.speedup.lo.toFixed(3)}, ${r.speedup.hi.toFixed(3)}] (95% bootstrap CI); ${r.verdict}`,
    });
  }
  return { entries, skipped };
}
