/**
 * tinybench cross-check: vitest bench (and `fusebench run`) also time each variant with tinybench,
 * sequentially. Verdicts never use those numbers; this appendix shows whether they agree with the
 * interleaved rounds, size by size: agreement = tinybench's ratio of medians lies inside the harness CI.
 */
import type { SizeResult } from '../../core/types.ts';
import type { PatternBackendView, ReportModel } from '../model.ts';
import { ci, code, ms, percent, times } from '../format.ts';
import { table } from '../table.ts';

export interface CrossCheckRow {
  readonly view: PatternBackendView;
  readonly r: SizeResult;
  readonly tinyRatio: number;
  readonly agrees: boolean;
}

export function crossCheckRows(m: ReportModel): CrossCheckRow[] {
  const rows: CrossCheckRow[] = [];
  for (const b of m.ran) {
    for (const view of b.patterns) {
      for (const r of view.timed) {
        if (!r.tinybench || !r.speedup) continue;
        const tinyRatio = r.tinybench.unfusedMedianMs / r.tinybench.fusedMedianMs;
        rows.push({ view, r, tinyRatio, agrees: tinyRatio >= r.speedup.lo && tinyRatio <= r.speedup.hi });
      }
    }
  }
  return rows;
}

/** One sentence for Methodology; undefined when no tinybench numbers were recorded. */
export function crossCheckSentence(m: ReportModel): string | undefined {
  const rows = crossCheckRows(m);
  if (rows.length === 0) return undefined;
  const agree = rows.filter((x) => x.agrees).length;
  return `tinybench (sequential, not interleaved) also timed ${rows.length} size × backend pairs: its ratio of medians lies inside ` +
    `the harness CI for ${agree} of ${rows.length} (details in the appendix).`;
}

export function crossCheck(m: ReportModel): string | undefined {
  const rows = crossCheckRows(m);
  if (rows.length === 0) return undefined;
  const body = rows.map(({ view, r, tinyRatio, agrees }) => [
    code(view.pattern.id),
    view.backend,
    r.size,
    `${ms(r.unfused!.medianMs)} / ${ms(r.fused!.medianMs)}`,
    `${ms(r.tinybench!.unfusedMedianMs)} / ${ms(r.tinybench!.fusedMedianMs)}`,
    `${times(r.speedup!.ratio)} ${ci(r.speedup!.lo, r.speedup!.hi)}`,
    times(tinyRatio),
    `${agrees ? '✓ inside CI' : '✗ outside CI'} (${percent(tinyRatio / r.speedup!.ratio - 1)})`,
  ]);
  return [
    '## Appendix: tinybench Cross-check',
    '',
    'Medians in ms (unfused / fused). The last column compares tinybench\'s ratio with the harness ratio; verdicts use the harness.',
    '',
    table(['Pattern', 'Backend', 'Size', 'harness ms', 'tinybench ms', 'harness speedup [CI]', 'tinybench speedup', 'Agreement (difference)'], body,
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'l']),
  ].join('\n');
}
