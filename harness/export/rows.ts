/** The measured rows of a run, as both exporters see them: one per pattern × backend × size that ran. */
import type { RunResults, VariantStats, Interval } from '../core/types.ts';
import { currentConfig, type FusebenchConfig } from '../core/config.ts';
import { judgeSize } from '../core/verdicts.ts';
import { verdictText } from '../report/format.ts';

export interface ExportRow {
  /** `Pattern · backend · size`, the same key the gate uses. */
  readonly name: string;
  readonly unfused: VariantStats;
  readonly fused: VariantStats;
  readonly speedup: Interval;
  /** The size's verdict in words, judged now with the thresholds given. */
  readonly verdict: string;
}

export interface ExportSelection {
  readonly rows: ExportRow[];
  /** Sizes left out because they failed, one line each. */
  readonly skipped: string[];
}

export function exportRows(results: RunResults, config: FusebenchConfig = currentConfig()): ExportSelection {
  const rows: ExportRow[] = [];
  const skipped: string[] = [];
  for (const p of results.patterns) {
    for (const r of p.results) {
      const name = `${p.id} · ${r.backend} · ${r.size}`;
      if (r.status !== 'ok' || !r.unfused || !r.fused || !r.speedup) {
        skipped.push(`${name}: failed (${r.error ?? 'no error recorded'})`);
        continue;
      }
      rows.push({ name, unfused: r.unfused, fused: r.fused, speedup: r.speedup, verdict: verdictText(judgeSize(r, config)) });
    }
  }
  return { rows, skipped };
}
