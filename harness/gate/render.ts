/**
 * The gate's Markdown: one table (pattern, backend, size, baseline, current, change, p-value, verdict) with
 * failing rows first, then improvements, then one line counting the unchanged rows. The same text goes to
 * the pull-request comment (`--comment`) and to the console.
 */
import type { Failure, GateReport, GateRow, MetricComparison } from './types.ts';
import { ms, pValue, roughPercent, signedPercent, thresholdPercent, times, verdictLabel } from '../report/format.ts';
import { table } from '../report/table.ts';

/** Marks the comment so a workflow can find and update it instead of adding a new one per push. */
export const COMMENT_MARKER = '<!-- fusebench-gate -->';

function failureText(f: Failure): string {
  switch (f.kind) {
    case 'incorrect':
      return verdictLabel('incorrect');
    case 'failed':
      return `✗ failed: ${f.error.length > 120 ? `${f.error.slice(0, 117)}…` : f.error}`;
    case 'below minimum':
      return `✗ below declared minimum (${times(f.speedup)} < ${times(f.minimum)})`;
    case 'regression':
      return `✗ regression (${f.metrics.join(', ')})`;
  }
}

function rowVerdict(r: GateRow): string {
  if (r.class === 'fail') return r.failures.map(failureText).join('; ');
  if (r.class === 'improvement') {
    const which = [r.speedup, r.fusedTime].filter((c): c is MetricComparison => c?.outcome === 'better').map((c) => c.metric);
    return `✓ improvement (${which.join(', ')})`;
  }
  if (r.class === 'new') return 'new (no baseline)';
  if (r.class === 'missing') return 'not measured in this run';
  return 'unchanged';
}

function sideText(speedup: number | undefined, fusedMs: number | undefined): string {
  if (speedup === undefined) return '—';
  return fusedMs === undefined ? times(speedup) : `${times(speedup)} · fused ${ms(fusedMs)} ms`;
}

/** The adjusted p-value of the direction the row's verdict is about: "better" for improvements, else "worse". */
export function shownP(r: GateRow, c: MetricComparison): number | undefined {
  return r.class === 'improvement' ? c.pBetterAdjusted : c.pWorseAdjusted;
}

function rowCells(r: GateRow): string[] {
  const comparisons = [r.speedup, r.fusedTime].filter((c): c is MetricComparison => c !== undefined);
  const baseline = sideText(r.speedup?.baseline, r.fusedTime?.baseline);
  const current = r.speedup ? sideText(r.speedup.current, r.fusedTime?.current)
    : r.currentOnly ? sideText(r.currentOnly.speedup, undefined)
    : r.failures.some((f) => f.kind === 'failed') ? 'failed' : '—';
  const change = comparisons.length ? comparisons.map((c) => `${c.metric === 'speedup' ? 'speedup' : 'fused'} ${signedPercent(c.change)}`).join(' · ') : '—';
  const p = comparisons.length ? comparisons.map((c) => pValue(shownP(r, c))).join(' · ') : '—';
  return [r.pattern, r.backend, r.size, baseline, current, change, p, rowVerdict(r)];
}

function countLine(report: GateReport): string[] {
  const count = (c: GateRow['class']): number => report.rows.filter((r) => r.class === c).length;
  const lines: string[] = [];
  const { maxRegression, alpha } = report.options;
  const unchanged = count('unchanged');
  lines.push(`${unchanged} unchanged row${unchanged === 1 ? '' : 's'} (change within ±${thresholdPercent(maxRegression)} or not significant at α = ${alpha}).`);
  const fresh = report.rows.filter((r) => r.class === 'new');
  if (fresh.length) lines.push(`${fresh.length} new row${fresh.length === 1 ? '' : 's'} without a baseline: ${fresh.map((r) => `${r.pattern} · ${r.backend} · ${r.size}`).join(', ')}.`);
  const missing = report.rows.filter((r) => r.class === 'missing');
  if (missing.length) lines.push(`${missing.length} baseline row${missing.length === 1 ? '' : 's'} not measured in this run: ${missing.slice(0, 10).map((r) => `${r.pattern} · ${r.backend} · ${r.size}`).join(', ')}${missing.length > 10 ? ', …' : ''}.`);
  return lines;
}

export function summaryLine(report: GateReport): string {
  const failing = report.rows.filter((r) => r.class === 'fail');
  const regressions = failing.filter((r) => r.failures.some((f) => f.kind === 'regression')).length;
  const other = failing.length - regressions;
  if (failing.length === 0) {
    const improved = report.rows.filter((r) => r.class === 'improvement').length;
    return `✓ passed: no regression${improved ? `, ${improved} improvement${improved === 1 ? '' : 's'}` : ''}`;
  }
  const parts = [];
  if (regressions) parts.push(`${regressions} regression${regressions === 1 ? '' : 's'}`);
  if (other) parts.push(`${other} other failing row${other === 1 ? '' : 's'} (incorrect, failed or below minimum)`);
  return `✗ failed: ${parts.join(', ')}`;
}

export function ruleLine(report: GateReport): string {
  const { maxRegression, alpha } = report.options;
  const methods = new Set(report.rows.flatMap((r) => [r.speedup?.method, r.fusedTime?.method]));
  const runLevel = methods.has('run-level t');
  const processLevel = methods.has('process-level t');
  const onRounds = methods.has('mann-whitney exact') || methods.has('mann-whitney normal');
  const lines = [
    `A regression is a fall in fused-vs-unfused speedup${report.timesCompared ? ' or a rise in fused time' : ''} of more than ${thresholdPercent(maxRegression)} ` +
      `that is significant at α = ${alpha}, one-sided, after Holm's adjustment over the ${report.tests} regression test${report.tests === 1 ? '' : 's'} of this run; ` +
      `the t tests ask whether it moved significantly *beyond* ${thresholdPercent(maxRegression)}, not merely whether it moved.`,
    onRounds ? 'Rows with a single baseline run of one process: Mann–Whitney U on per-round speedups (unfused_i / fused_i).' : '',
    processLevel
      ? 'Rows whose runs measured each size in several processes: process-level t test, each process of each baseline run a unit, ' +
        'so the spread between processes is estimated even from one baseline run, and the current run\'s processes count as that many draws.'
      : '',
    runLevel
      ? `Rows with ≥ 2 baseline runs: run-level t test, adding the between-run spread estimated from the baseline runs` +
        `${report.betweenRun ? ` (pooled sd of log speedup ${report.betweenRun.speedup.toFixed(3)}${report.timesCompared ? `, of log fused time ${report.betweenRun.fusedTime.toFixed(3)}` : ''}, ${report.betweenRun.df} df)` : ''}.`
      : '',
    'The p-value column shows adjusted values for the verdict\'s direction, in the order of the change column.',
  ];
  if (onRounds) {
    lines.push('One baseline run cannot show how far a whole run swings from one process to the next, so for such rows speedups are tested on rounds only' +
      `${report.timesCompared ? ' and fused times are shown but not tested (n/a)' : ''}. ` +
      'Build the baseline from ≥ 3 runs (`fusebench baseline --from a.json --from b.json --from c.json`).');
  }
  return lines.filter(Boolean).join(' ');
}

export function machineLine(report: GateReport): string | undefined {
  const notes = report.machines.notes.length ? ` Also differs: ${report.machines.notes.join('; ')}.` : '';
  if (report.ratiosOnly) {
    return `⚠ Baseline and current runs come from different machines (${report.machines.differences.join('; ')}): ` +
      `comparing fused-vs-unfused speedup ratios only; fused times are not compared.${notes}`;
  }
  const drift = report.unfusedDrift;
  if (report.timesSkipped === 'turned off') return `Fused times are not compared (--times off / FUSEBENCH_GATE_TIMES=off): speedups only.${notes}`;
  if (report.timesSkipped === 'machine speed changed' && drift) {
    return `⚠ Same machine, but its speed changed: unfused times moved by ${signedPercent(drift.change)} (median of ${drift.rows} compared row${drift.rows === 1 ? '' : 's'}), ` +
      `beyond the ${thresholdPercent(report.options.maxRegression)} threshold. That is the machine or code every path shares; a row cannot tell which, ` +
      `so fused times are not compared this run; speedups are.${notes}`;
  }
  return notes ? `Same machine.${notes}` : undefined;
}

/**
 * What the rounds allowed the gate to see: the speedup fall detected with 80% power, typical and worst, and a
 * warning naming the rows that could not show a fall of twice the threshold (an overloaded machine, too few rounds).
 */
export function sensitivityLines(report: GateReport): string[] {
  const rows = report.rows.filter((r) => r.detectableFall !== undefined);
  if (rows.length === 0) return [];
  const falls = rows.map((r) => r.detectableFall!).sort((a, b) => a - b);
  const typical = falls[Math.floor((falls.length - 1) / 2)];
  const lines = [`Sensitivity: with these rounds a speedup fall is caught (80% power) from about ${roughPercent(typical)} in a typical row, ${roughPercent(falls[falls.length - 1])} in the noisiest.`];
  const blind = rows.filter((r) => r.detectableFall! > 2 * report.options.maxRegression).sort((a, b) => b.detectableFall! - a.detectableFall!);
  if (blind.length) {
    const named = blind.slice(0, 5).map((r) => `${r.pattern} · ${r.backend} · ${r.size} (≈ ${roughPercent(r.detectableFall!)})`).join(', ');
    lines.push(`⚠ Too noisy to see a ${thresholdPercent(report.options.maxRegression)} regression in ${blind.length} of ${rows.length} compared rows: ${named}${blind.length > 5 ? ', …' : ''}. ` +
      'A pass says little about them; measure on a quieter machine or with more rounds.');
  }
  return lines;
}

/** The whole Markdown document; `marker` adds the hidden comment marker for pull requests. */
export function renderGateMarkdown(report: GateReport, opts: { marker?: boolean } = {}): string {
  const out: string[] = [];
  if (opts.marker) out.push(COMMENT_MARKER);
  out.push(`## fusebench gate: ${summaryLine(report)}`, '');
  out.push(`Baseline: \`${report.baseline.name}\` — ${report.baseline.command} (${report.baseline.createdAt}) on ${report.baseline.machine}  `);
  out.push(`Current: \`${report.current.name}\` — ${report.current.command} (${report.current.createdAt}) on ${report.current.machine}`, '');
  const machine = machineLine(report);
  if (machine) out.push(`> ${machine}`, '');
  if (report.baseline.quick !== report.current.quick) {
    out.push(`> Note: the baseline is a ${report.baseline.quick ? 'quick' : 'full'} run and the current one a ${report.current.quick ? 'quick' : 'full'} run; only sizes present in both are compared.`, '');
  }
  const shown = report.rows.filter((r) => r.class === 'fail' || r.class === 'improvement');
  if (shown.length) {
    out.push(table(['pattern', 'backend', 'size', 'baseline', 'current', 'change', 'p-value', 'verdict'], shown.map(rowCells), ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'l']), '');
  }
  out.push(...countLine(report), '');
  const sensitivity = sensitivityLines(report);
  if (sensitivity.length) out.push(sensitivity.join(' '), '');
  out.push(ruleLine(report), '');
  return out.join('\n');
}
