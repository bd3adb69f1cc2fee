/**
 * Two calibration profiles side by side in Markdown: each pattern's measured speedup and the fuse/avoid
 * decision on each (e.g. a CPU backend against a GPU backend).
 */
import type { Calibration } from './calibration.ts';
import { patternDecision } from './decision.ts';
import { ceilingsText, speedupCell, theoreticalText } from './cells.ts';
import { times } from '../report/format.ts';
import { table } from '../report/table.ts';

export interface CompareOptions {
  /** Speedup from which a size counts as worth fusing (default 1.1). */
  readonly threshold?: number;
}

const label = (c: Calibration): string => `${c.hardware} · ${c.backend}`;

function header(a: Calibration, b: Calibration): string {
  const ca = ceilingsText(a);
  const cb = ceilingsText(b);
  const rows: string[][] = [
    ['Profile', a.source, b.source],
    ['Device', a.document.device?.description ?? '—', b.document.device?.description ?? '—'],
    ['Measured on', a.document.created_at ?? '—', b.document.created_at ?? '—'],
    ['Quick run', String(a.document.quick ?? '—'), String(b.document.quick ?? '—')],
    ['Matmul ceiling (measured)', ca.compute, cb.compute],
    ['Bandwidth ceiling (measured)', ca.memory, cb.memory],
    ['Theoretical peak', theoreticalText(a.document.theoretical_peak_gflops, a.ceilings?.matmul_gflops, 'GFLOP/s'),
      theoreticalText(b.document.theoretical_peak_gflops, b.ceilings?.matmul_gflops, 'GFLOP/s')],
    ['Theoretical bandwidth', theoreticalText(a.document.theoretical_bandwidth_gbps, a.ceilings?.bandwidth_gbps, 'GB/s'),
      theoreticalText(b.document.theoretical_bandwidth_gbps, b.ceilings?.bandwidth_gbps, 'GB/s')],
  ];
  return table(['', `A: ${label(a)}`, `B: ${label(b)}`], rows);
}

export function renderComparison(a: Calibration, b: Calibration, opts: CompareOptions = {}): string {
  const threshold = opts.threshold ?? 1.1;
  const ids = [...new Set([...a.patterns(), ...b.patterns()])].sort();
  const rows: string[][] = [];
  for (const id of ids) {
    const pa = a.getFusionPattern(id);
    const pb = b.getFusionPattern(id);
    const da = patternDecision(pa, threshold);
    const db = patternDecision(pb, threshold);
    const ratio = pa?.speedup_factor && pb?.speedup_factor && pa.correct && pb.correct ? times(pb.speedup_factor / pa.speedup_factor) : '—';
    const same = da.kind === 'unmeasured' || db.kind === 'unmeasured' ? '—' : da.kind === db.kind ? 'yes' : '**no**';
    rows.push([id, speedupCell(pa), da.text, speedupCell(pb), db.text, ratio, same]);
  }
  const lines = [
    `# Fusion calibration: ${label(a)} vs ${label(b)}`,
    '',
    header(a, b),
    '',
    `## Speedup and decision per pattern`,
    '',
    `Speedup is the median over the measured sizes of unfused ÷ fused time, with the range over sizes. ` +
      `The decision judges each size on its speedup: **fuse** where every size reaches ${times(threshold)}, ` +
      `**avoid** where none does, **conditional** otherwise (the sizes that reach it are named); ` +
      `a fused result outside tolerance at any size means avoid, whatever its speed. ` +
      `"CI holds ${times(threshold)} at n sizes" counts the sizes whose 95% confidence interval contains the threshold, ` +
      `where the side the size falls on is not established.`,
    '',
    ids.length ? table(['Pattern', 'A speedup', 'A decision', 'B speedup', 'B decision', 'B ÷ A', 'Same decision'], rows) : '_Neither profile has fusion profiles._',
    '',
  ];
  const differ = ids.filter((id) => {
    const da = patternDecision(a.getFusionPattern(id), threshold).kind;
    const db = patternDecision(b.getFusionPattern(id), threshold).kind;
    return da !== db && da !== 'unmeasured' && db !== 'unmeasured';
  });
  if (differ.length) lines.push(`Decisions differ for ${differ.length} of ${ids.length} pattern(s): ${differ.join(', ')}.`, '');
  return lines.join('\n');
}
