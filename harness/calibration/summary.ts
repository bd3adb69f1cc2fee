/** The summary `fusebench calibrate` prints: ceilings, then one row per pattern with its verdict and decision. */
import type { Calibration } from './calibration.ts';
import { patternDecision } from './decision.ts';
import { ceilingsText, speedupCell, theoreticalText } from './cells.ts';
import { percent, times } from '../report/format.ts';
import { table } from '../report/table.ts';

export function renderCalibrationSummary(c: Calibration, threshold: number): string {
  const ceil = ceilingsText(c);
  const d = c.document;
  const lines = [
    `Calibration of ${c.hardware} on backend ${c.backend}${d.device ? ` (${d.device.description})` : ''}`,
    `  matmul ceiling:    ${ceil.compute}; theoretical peak ${theoreticalText(d.theoretical_peak_gflops, c.ceilings?.matmul_gflops, 'GFLOP/s')}`,
    `  bandwidth ceiling: ${ceil.memory}; theoretical ${theoreticalText(d.theoretical_bandwidth_gbps, c.ceilings?.bandwidth_gbps, 'GB/s')}`,
  ];
  if (c.ceilings) lines.push(`  ridge point:       ${c.ceilings.ridge_flops_per_byte.toFixed(2)} FLOP/byte`);
  lines.push('');
  const rows: string[][] = [];
  for (const id of c.patterns()) {
    const p = c.getFusionPattern(id)!;
    const failed = p.failed_sizes.length ? ` (${p.failed_sizes.length} size(s) failed)` : '';
    rows.push([id, speedupCell(p) + failed, p.memory_reduction === null ? '—' : percent(p.memory_reduction), p.verdict ?? '—', patternDecision(p, threshold).text]);
  }
  lines.push(rows.length ? table(['Pattern', 'Speedup (median, range)', 'Memory reduction', 'Verdict', `Decision at ${times(threshold)}`], rows) : 'No fusion pattern was measured.');
  return lines.join('\n');
}
