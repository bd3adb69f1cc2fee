/** Cross-pattern summary (one table per backend, as in the calibration study) and the crossover table. */
import type { BackendView, PatternBackendView, ReportModel } from '../model.ts';
import { code, percentRange, speedupWithCi, times, timesRange } from '../format.ts';
import { table } from '../table.ts';
import { decisionCell, verdictCell } from '../text.ts';

function sizeNote(v: PatternBackendView): string {
  const notes: string[] = [];
  if (v.incorrect.length) notes.push(`${v.incorrect.length} incorrect`);
  if (v.failed.length) notes.push(`${v.failed.length} failed`);
  return notes.length ? ` (${notes.join(', ')})` : '';
}

function summaryRow(v: PatternBackendView): string[] {
  const sizes = v.range ? timesRange(v.range.min, v.range.max) : '—';
  return [
    code(v.pattern.id),
    `${sizes}${sizeNote(v)}`,
    v.aggregate ? speedupWithCi(v.aggregate) : '—',
    v.memory ? percentRange(v.memory.min, v.memory.max) : '—',
    v.traffic ? percentRange(v.traffic.min, v.traffic.max) : '—',
    verdictCell(v.verdict),
    decisionCell(v.decision),
  ];
}

/** One backend's summary table, best pattern first (as the calibration study orders it); `limit` keeps the top rows. */
export function summaryTable(m: ReportModel, b: BackendView, limit?: number): string {
  const run = b.patterns.filter((v) => v.sizes.length > 0);
  const head = `**${b.status.name}**${b.status.device ? ` (${b.status.device.description})` : ''}`;
  if (run.length === 0) return `${head}: no pattern ran on this backend.`;
  // Unmeasured and incorrect patterns go last.
  const rank = (v: PatternBackendView): number => (v.aggregate && v.incorrect.length === 0 ? v.aggregate.ratio : -1);
  const sorted = [...run].sort((x, y) => rank(y) - rank(x));
  const shown = limit !== undefined ? sorted.slice(0, Math.max(0, limit)) : sorted;
  const more = sorted.length - shown.length;
  return [
    head,
    '',
    table(['Pattern', 'Speedup range', 'Geomean [CI]', 'Memory Reduction', 'Traffic saved (analytic)', 'Verdict', 'Decision'], shown.map(summaryRow),
      ['l', 'r', 'r', 'r', 'r', 'l', 'l']),
    ...(more > 0 ? ['', `…and ${more} more pattern${more === 1 ? '' : 's'} in the full report.`] : []),
  ].join('\n');
}

export function crossPattern(m: ReportModel): string {
  const out = [
    '## Summary Across Patterns',
    '',
    'Speedup range: the per-size ratios of medians of correct results. Geomean [CI]: their geometric mean with its bootstrap CI; ' +
      'the verdict and decision are judged on that CI. A pattern with any incorrect fused result is `✗ Incorrect` on that backend.',
  ];
  if (m.ran.length === 0) out.push('', 'No backend ran.');
  for (const b of m.ran) out.push('', summaryTable(m, b));
  return out.join('\n');
}

function crossoverCell(v: PatternBackendView | undefined): string {
  if (!v || v.sizes.length === 0) return 'not run';
  if (v.incorrect.length) return `✗ incorrect at ${v.incorrect.map((r) => r.size).join(', ')}`;
  if (v.correct.length === 0) return 'not measured';
  const x = v.crossover;
  if (!x.size) return 'none in range';
  const back = x.fallsBackAt.length ? `; below again at ${x.fallsBackAt.map((r) => r.size).join(', ')}` : '';
  return `${x.size.size} (lower bound ${times(x.size.speedup!.lo)})${back}`;
}

export function sizeSensitivity(m: ReportModel): string {
  const rows = m.results.patterns.map((p) => {
    const views = m.views.get(p.id) ?? [];
    return [code(p.id), ...m.ran.map((b) => crossoverCell(views.find((v) => v.backend === b.status.name)))];
  });
  return [
    '## Size Sensitivity',
    '',
    `Crossover: the smallest measured size whose speedup CI lower bound is ≥ ${times(m.config.crossover)}; "none in range" when no measured size reaches it. ` +
      'Each pattern\'s section above has its speedup-vs-size chart.',
    '',
    m.ran.length ? table(['Pattern', ...m.ran.map((b) => `Crossover on ${b.status.name}`)], rows) : 'No backend ran.',
  ].join('\n');
}
