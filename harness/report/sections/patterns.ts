/**
 * One section per pattern: what it stands for, who provides the fused variant, one table of every
 * backend × size, what the fused path launched, the crossover, and the speedup-vs-size chart.
 */
import type { PatternResult, SizeResult } from '../../core/types.ts';
import type { PatternBackendView, ReportModel } from '../model.ts';
import { code, count, listing, ms, oneLine, percent, sci, speedupWithCi, times, timesRange, verdictText } from '../format.ts';
import { breakdown, compactList, kernelCountCell } from '../kernels.ts';
import { speedupChart } from '../chart.ts';
import { table, type Align } from '../table.ts';
import { aggregateText, confidenceText, patternHeading, verdictCell } from '../text.ts';
import { noteAnchor, noteLink, notesOf, runNotes, type RunNote } from '../notes.ts';
import { judgeSize } from '../../core/verdicts.ts';
import type { FusebenchConfig } from '../../core/config.ts';

/** A suite file shown from its `suites/` folder when it lives in one, else as recorded. */
export function suitePath(file: string): string {
  const i = file.lastIndexOf('/suites/');
  return i >= 0 ? file.slice(i + 1) : file;
}

function timeCell(v: NonNullable<SizeResult['unfused']>): string {
  return `${ms(v.throughputMs)} (${ms(v.p10Ms)}–${ms(v.p90Ms)})`;
}

function errorCell(r: SizeResult): string {
  const c = r.correctness;
  if (!c) return '—';
  const f = `${c.fused.ok ? '✓' : '✗'} ${sci(c.fused.maxAbs)} (rel ${sci(c.fused.maxRel)})`;
  return c.unfused.ok ? f : `${f}; unfused ✗ ${sci(c.unfused.maxAbs)} too`;
}

function kernelTimeCell(r: SizeResult): string {
  const u = r.unfused?.deviceMs;
  const f = r.fused?.deviceMs;
  if (u === undefined || f === undefined) return '—';
  return `${ms(u)} → ${ms(f)} (${times(u / f)})`;
}

const STOPPED: Readonly<Record<NonNullable<SizeResult['stoppedBy']>, string>> = { converged: 'converged', budget: 'time budget', rounds: 'round limit' };

/**
 * `36 in 3 processes (1.02–1.09×), converged`: the rounds behind the CI, the processes that took them with the
 * range of their own speedups (the spread between processes), and why sampling stopped.
 */
function roundsCell(r: SizeResult): string {
  const rounds = Math.min(r.unfused!.samplesMs.length, r.fused!.samplesMs.length);
  const speedups = (r.processes ?? []).map((p) => p.speedup);
  const processes = speedups.length > 1 ? ` in ${speedups.length} processes (${timesRange(Math.min(...speedups), Math.max(...speedups))})` : '';
  return `${rounds}${processes}${r.stoppedBy ? `, ${STOPPED[r.stoppedBy]}` : ''}`;
}

function latencyCell(r: SizeResult): string {
  return `${ms(r.unfused!.latencyMs)} → ${ms(r.fused!.latencyMs)}`;
}

function row(r: SizeResult, withKernelTime: boolean, config: FusebenchConfig): string[] {
  if (r.status !== 'ok' || !r.unfused || !r.fused || !r.speedup) {
    const cells = [r.backend, r.size, '—', '—', '—', '—', '—', '—', '—', '—', '✗ failed (error below)'];
    if (withKernelTime) cells.splice(4, 0, '—');
    return cells;
  }
  const cells = [
    r.backend,
    r.size,
    timeCell(r.unfused),
    timeCell(r.fused),
    latencyCell(r),
    speedupWithCi(r.speedup),
    roundsCell(r),
    kernelCountCell(r),
    percent(r.memoryReduction),
    errorCell(r),
    verdictText(judgeSize(r, config)),
  ];
  if (withKernelTime) cells.splice(5, 0, kernelTimeCell(r));
  return cells;
}

function resultsTable(m: ReportModel, views: readonly PatternBackendView[]): string {
  const sizes = views.flatMap((v) => v.sizes);
  const withKernelTime = sizes.some((r) => r.unfused?.deviceMs !== undefined);
  const header = ['Backend', 'Size', 'Unfused ms', 'Fused ms', 'Latency ms unfused → fused', `Speedup [${confidenceText(m)} CI]`, 'Rounds', 'Kernels unfused → fused', 'Memory reduction', 'Max error (fused)', 'Verdict'];
  const align: Align[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'c', 'r', 'l', 'l'];
  if (withKernelTime) {
    header.splice(5, 0, 'Device ms unfused → fused');
    align.splice(5, 0, 'r');
  }
  return table(header, sizes.map((r) => row(r, withKernelTime, m.config)), align);
}

/** The suite's predictions, without repeating a range or a source that both kinds share. */
export function predictionsLine(p: PatternResult): string {
  const { cpu, gpu } = p.predictions;
  const range = (x: { min: number; max: number }): string => timesRange(x.min, x.max);
  if (range(cpu) === range(gpu) && cpu.source === gpu.source) return `**Predicted speedup:** ${range(cpu)} on every backend (${cpu.source}).`;
  if (cpu.source === gpu.source) return `**Predicted speedup:** cpu backends ${range(cpu)}, gpu backends ${range(gpu)} (${cpu.source}).`;
  return `**Predicted speedup:** cpu backends ${range(cpu)} (${cpu.source}); gpu backends ${range(gpu)} (${gpu.source}).`;
}

function factsBlock(p: PatternResult, notes: readonly RunNote[]): string[] {
  const facts = [
    `**Family:** ${p.family} · **Suite:** ${code(suitePath(p.file))} · **Fused variant declared:** ${p.fusedBy}`,
  ];
  if (p.standsFor.length) facts.push(`**Stands for:** ${p.standsFor.join('; ')}`);
  facts.push(predictionsLine(p));
  if (p.minSpeedup && Object.keys(p.minSpeedup).length) {
    facts.push(`**Minimum acceptable speedup (gate):** ${Object.entries(p.minSpeedup).map(([b, x]) => `${b} ≥ ${times(x)}`).join(', ')}.`);
  }
  const out = [facts.join('  \n')];
  const own = notesOf(p, notes);
  // A note this pattern alone carries is printed here; one that several share is printed once under Notes.
  for (const n of own.filter((x) => x.patterns.length === 1)) out.push('', `> <a id="${noteAnchor(n.number)}"></a>**Note ${n.number}:** ${n.text}`);
  const shared = own.filter((x) => x.patterns.length > 1);
  if (shared.length) out.push('', `> **Shared notes:** ${shared.map((n) => noteLink(n, 'details')).join(', ')} (under Notes).`);
  return out;
}

function fusedPathSentence(v: PatternBackendView): string {
  const k = v.kernels;
  if (!k) return 'no size was profiled';
  const how = k.fusedBySource === 'kernels launched' ? 'a fusebench kernel was launched' : 'from the suite\'s declaration';
  const launches = k.maxCompute <= 1
    ? `launches ${k.maxCompute === 0 ? 'no compute kernel' : 'one compute kernel'}`
    : `launches ${k.minCompute === k.maxCompute ? k.maxCompute : `${k.minCompute}–${k.maxCompute}`} compute kernels, not one`;
  const seqs = k.sequences.map((s) => (s.length ? code(compactList(s)) : '(none)')).join(' or ');
  const unfused = [...new Set(v.timed.map((r) => compactList(breakdown(r.unfused!.kernels).compute)))].map(code).join(' or ');
  let text = `fused path: **${k.fusedBy}** (${how}); it ${launches}: ${seqs}; unfused: ${unfused}`;
  if (k.declaredButAbsent) text += '. ⚠ The suite declares a fusebench kernel, but none was launched';
  return text;
}

function crossoverSentence(m: ReportModel, v: PatternBackendView): string {
  const x = v.crossover;
  if (v.incorrect.length) return `✗ Incorrect at ${listing(v.incorrect.map((r) => r.size))}, so no crossover or overall figure is given`;
  if (v.correct.length === 0) return 'crossover: not measured';
  if (!x.size) return `crossover (CI lower bound ≥ ${times(m.config.crossover)}): none in range`;
  let text = `crossover (CI lower bound ≥ ${times(m.config.crossover)}): **${x.size.size}** (${speedupWithCi(x.size.speedup!)})`;
  if (x.fallsBackAt.length) text += `, but ${listing(x.fallsBackAt.map((r) => r.size))} ${x.fallsBackAt.length === 1 ? 'falls' : 'fall'} back below it`;
  return text;
}

function backendBullet(m: ReportModel, v: PatternBackendView): string {
  if (v.sizes.length === 0) return `- **${v.backend}**: not run.`;
  const parts = [fusedPathSentence(v), crossoverSentence(m, v)];
  if (v.aggregate) {
    parts.push(`overall ${aggregateText(v)}${v.range ? `, range ${timesRange(v.range.min, v.range.max)}` : ''}: ${verdictCell(v.verdict)}`);
  }
  if (v.failed.length) parts.push(`${count(v.failed.length, 'size')} failed`);
  return `- **${v.backend}**: ${parts.join('; ')}.`;
}

function failuresBlock(views: readonly PatternBackendView[]): string[] {
  const failed = views.flatMap((v) => v.failed);
  if (failed.length === 0) return [];
  return ['', '**Errors:**', '', ...failed.map((r) => `- ${r.backend} at ${r.size}: ${code(oneLine(r.error ?? 'no error recorded', 600))}`)];
}

export function patternSection(m: ReportModel, p: PatternResult, notes: readonly RunNote[] = runNotes(m.results)): string {
  const views = m.views.get(p.id) ?? [];
  const run = views.filter((v) => v.sizes.length > 0);
  const out = [`### ${patternHeading(p)}`, '', ...factsBlock(p, notes), ''];
  if (run.length === 0) {
    out.push('Not measured on any backend in this run.');
    return out.join('\n');
  }
  const deviceTimed = run.some((v) => v.timed.some((r) => r.unfused!.deviceMs !== undefined));
  out.push(
    `Times: throughput, median ms per call of K back-to-back calls (p10–p90); latency: one lone call and the fence. Speedup: median unfused ÷ median fused in each process, geometric mean over the processes, with its ${confidenceText(m)} CI (processes, then rounds, resampled); times: the geometric mean of the processes' medians. Kernels: compute kernels launched per call. ` +
      `Rounds: paired rounds behind the CI, the processes that took them (with the range of their own speedups), and why sampling stopped (converged: the CI was tight enough; round limit; time budget). Max error: fused result against float64, absolute (relative).` +
      (deviceTimed ? ' Device ms: the device clock per call, no host gaps (speedup in brackets), shown for reference; verdicts use throughput.' : ''),
    '',
    resultsTable(m, run),
    ...failuresBlock(run),
    '',
    ...run.map((v) => backendBullet(m, v)),
  );
  const chart = speedupChart(p.id, run, m.config.crossover);
  out.push('');
  if (chart.block) out.push(chart.block, '');
  out.push(`*${chart.caption}*`);
  return out.join('\n');
}

export function patternSections(m: ReportModel): string {
  const notes = runNotes(m.results);
  const out = ['## Results by Pattern'];
  if (m.results.patterns.length === 0) out.push('', 'No pattern was selected for this run.');
  for (const p of m.results.patterns) out.push('', patternSection(m, p, notes));
  return out.join('\n');
}

/** The notes several patterns share, each written once with the patterns it applies to; undefined when none is shared. */
export function sharedNotes(m: ReportModel): string | undefined {
  const shared = runNotes(m.results).filter((n) => n.patterns.length > 1);
  if (shared.length === 0) return undefined;
  return ['## Notes', '', 'Notes that several suites carry, written once; each pattern\'s section refers to them by number.', '',
    ...shared.map((n) => `- <a id="${noteAnchor(n.number)}"></a>**Note ${n.number}** (${listing(n.patterns.map(code))}): ${n.text}`)].join('\n');
}
