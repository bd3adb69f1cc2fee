/**
 * The measured sections of MACRO-REPORT.md for one backend: methodology, one section per pipeline (workload,
 * results, analysis), Prediction vs Reality and Why. Every figure comes from results.json.
 */
import type { PipelineResult, PipelineSizeResult, PipelineSummary, RunResults } from '../core/types.ts';
import type { FusebenchConfig } from '../core/config.ts';
import { usable } from '../pipeline-results.ts';
import { judgeSize } from '../core/verdicts.ts';
import { bullets, bytes, code, count, gainWords, listing, ms, percent, percentRange, percentWithCi, pts, speedupWithCi, times, timesRange, verdictText } from './format.ts';
import { table } from './table.ts';

/** One backend's view of the run's pipelines. */
export interface MacroBackend {
  readonly results: RunResults;
  readonly config: FusebenchConfig;
  readonly name: string;
  /** Pipelines with results on this backend, with their sizes and summary there. */
  readonly pipelines: ReadonlyArray<{ readonly p: PipelineResult; readonly sizes: readonly PipelineSizeResult[]; readonly summary?: PipelineSummary }>;
  /** Fused ÷ copy target, where the caller sets one (a study's performance target); none by default. */
  readonly copyTarget?: number;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function problem(r: PipelineSizeResult): string | undefined {
  if (r.status !== 'ok') return `failed: ${r.error ?? 'unknown error'}`;
  if (!r.correctness!.fused.ok || !r.correctness!.unfused.ok) {
    const which = !r.correctness!.fused.ok ? 'fused' : 'unfused';
    return `✗ ${which} result wrong (max abs error ${r.correctness![which].maxAbs.toExponential(1)})`;
  }
  return undefined;
}

export function methodology(b: MacroBackend): string {
  const s = b.results.sampling;
  const micro = [...new Set(b.pipelines.map(({ p }) => p.micro))];
  return [
    bullets([
      `Each pipeline is a \`definePipeline\` suite: an ordered stage list in which the stages one fused kernel replaces are grouped (${listing(b.pipelines.map(({ p }) => code(p.file.split('/').slice(-2).join('/'))))}).`,
      `Per size, one interleaved sampling of every variant: the unfused pipeline, the fused pipeline, each stage alone (on the intermediate the pipeline feeds it), each fused kernel alone, and a plain copy of the fused kernel's bytes where the pipeline names a copy. Up to ${s.rounds} rounds (at least ${s.minRounds ?? '—'}), in one process (suites may be pooled over several; pipelines are not yet); a sample is K back-to-back calls then one fence, K raised until a sample lasts ${s.minSampleMs ?? '—'} ms; nothing is read back while timing.`,
      'Before any timing, both pipelines are checked against the float64 (or exact) reference; a wrong result removes the size from every figure.',
      `Speedup = median(unfused) ÷ median(fused); intervals are ${percent(b.config.sampling.confidence)} percentile bootstraps (${s.bootstrap} resamples) over whole rounds. Averages are geometric means over sizes (each pipeline weighs one in a backend's figure), bootstrapped jointly.`,
      `Coverage: by operations, the share of stages inside fused groups (and the share fusion removes); by runtime, the fused stages' time alone ÷ the unfused pipeline's time.`,
      `Prediction: Amdahl, 1 / ((1 − c) + c / s), with c the runtime coverage and s the micro suite's speedup (${listing(micro.map(code))}) measured in this run at the size nearest the fused kernel's elements; where the run has no micro result on the backend, s is the fused kernel's speedup over its stages inside the pipeline. The interval resamples both measurements.`,
    ]),
  ].join('\n');
}

function workload(p: PipelineResult): string {
  const first = new Map<string, number>();
  const rows = p.stages.map((s, i) => {
    const line = `${i + 1}. ${capital(s.name)}`;
    if (!s.group) return line;
    if (!first.has(s.group)) {
      first.set(s.group, i + 1);
      return `${line.padEnd(28)}┐ fused: ${s.group}`;
    }
    return `${line.padEnd(28)}┘ (with step ${first.get(s.group)})`;
  });
  return ['```', ...rows, '```'].join('\n');
}

function coverageLine(p: PipelineResult, ok: readonly PipelineSizeResult[]): string {
  const c = ok[0]?.coverage;
  if (!c) return '**Fusion coverage:** not measured (no size completed correctly)';
  const n = p.stages.length;
  return `**Fusion coverage:** ${percent(c.ops)} of the stages run fused (${Math.round(c.ops * n)} of ${n}; fusion removes ${Math.round(c.opsRemoved * n)} of ${n} = ${percent(c.opsRemoved)}); ` +
    `${percentRange(Math.min(...ok.map((r) => r.coverage!.runtime.ratio)), Math.max(...ok.map((r) => r.coverage!.runtime.ratio)))} of the measured unfused runtime`;
}

export function benchmarkSection(b: MacroBackend, index: number, entry: MacroBackend['pipelines'][number]): string {
  const { p, sizes, summary } = entry;
  const ok = sizes.filter(usable);
  const results = table(['Size', 'Unfused (ms)', 'Fused (ms)', 'Speedup [CI]', 'Verdict'], sizes.map((r) => {
    const bad = problem(r);
    return bad ? [r.size, '—', '—', bad, '—'] : [r.size, ms(r.unfused!.throughputMs), ms(r.fused!.throughputMs), speedupWithCi(r.speedup!), verdictText(judgeSize(r, b.config))];
  }), ['l', 'r', 'r', 'r', 'l']);
  const analysis = ok.length === 0 ? 'No size completed with correct results.' : table(
    ['Size', 'Runtime coverage c', 's (Amdahl input)', 'Predicted', 'Measured', 'Measured − predicted', 'Fused kernel ÷ copy'],
    ok.map((r) => [
      r.size,
      percentWithCi(r.coverage!.runtime),
      r.amdahl ? `${speedupWithCi(r.amdahl.speedup)}${r.amdahl.micro ? ` (${r.amdahl.micro.size})` : ' (in pipeline)'}` : 'n/a',
      r.amdahl ? speedupWithCi(r.amdahl.predicted) : 'n/a',
      speedupWithCi(r.speedup!),
      r.amdahl ? pts(r.amdahl.deltaPts) : 'n/a',
      r.groups!.map((g) => (g.copy ? speedupWithCi(g.copy.ratio) : 'no copy')).join('; '),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  return [
    `## Benchmark ${index}: ${p.title}`,
    '',
    ...(p.description ? [`**Workload:** ${p.description}`, ''] : []),
    workload(p),
    '',
    coverageLine(p, ok),
    '',
    '### Results',
    '',
    results,
    '',
    summary ? `**Average: ${speedupWithCi(summary.speedup)} (${gainWords(summary.speedup.ratio)}), geometric mean over ${count(summary.sizes, 'size')}**` : '**Average: not measured**',
    ...(p.notes.length ? ['', bullets(p.notes)] : []),
    '',
    '### Analysis',
    '',
    analysis,
  ].join('\n');
}

/** Predicted vs measured per pipeline, and the declared prediction (with its source) against the measurement. */
export function predictionVsReality(b: MacroBackend, kind: 'cpu' | 'gpu'): string {
  const rows = b.pipelines.flatMap(({ p, summary }) => summary ? [[
    p.title,
    summary.predicted ? speedupWithCi(summary.predicted) : 'n/a',
    speedupWithCi(summary.speedup),
    summary.deltaPts !== undefined ? `**${pts(summary.deltaPts)}**` : 'n/a',
  ]] : []);
  const placed = b.pipelines.flatMap(({ p, summary }) => summary?.predicted ? [{
    p, s: summary, where: summary.speedup.lo > summary.predicted.hi ? 'above' : summary.speedup.hi < summary.predicted.lo ? 'below' : 'within',
  }] : []);
  const accuracy = placed.length === 0 ? 'No prediction could be checked.'
    : placed.every((x) => x.where === 'within') ? 'The measured and predicted intervals overlap for every pipeline: no evidence that the end-to-end result beats or misses Amdahl\'s law.'
      : listing(placed.map((x) => `${x.p.title}: measured ${x.where === 'within' ? 'consistent with' : x.where} the prediction (${speedupWithCi(x.s.speedup)} vs ${speedupWithCi(x.s.predicted!)})`)) + '.';
  const declared = b.pipelines.flatMap(({ p, summary }) => {
    if (!summary) return [];
    const pr = p.predictions[kind];
    const holds = summary.speedup.lo > pr.max ? 'above the range' : summary.speedup.hi < pr.min ? 'below the range' : 'consistent (the CI meets the range)';
    return [[p.title, timesRange(pr.min, pr.max), pr.source, speedupWithCi(summary.speedup), holds]];
  });
  return [
    '## Prediction vs Reality',
    '',
    table(['Pipeline', 'Predicted (Amdahl, this run)', 'Measured', 'Delta'], rows, ['l', 'r', 'r', 'r']),
    '',
    `**Prediction accuracy:** ${accuracy}`,
    '',
    '### Against the declared predictions',
    '',
    declared.length ? table(['Pipeline', 'Declared', 'Source', `Measured on ${b.name}`, 'Holds here?'], declared) : 'Nothing measured.',
  ].join('\n');
}

/** `; the micro suite measured 1.73× at 1M elements`: each micro size the predictions used, once. */
function microQuoted(ok: readonly PipelineSizeResult[]): string {
  const seen = [...new Set(ok.flatMap((r) => (r.amdahl?.micro ? [`${times(r.amdahl.speedup.ratio)} at ${r.amdahl.micro.size}`] : [])))];
  return seen.length ? `; the micro suite (${code(ok.find((r) => r.amdahl?.micro)!.amdahl!.micro!.suite)}) measured ${listing(seen)}` : '';
}

/** Why the end-to-end result is what it is: the coverage ceiling, whether stages add up, the kernel against its stages and against a copy. */
export function why(b: MacroBackend): string {
  const facts: string[] = [];
  for (const { p, sizes } of b.pipelines) {
    const ok = sizes.filter(usable);
    if (ok.length === 0) continue;
    const cmax = Math.max(...ok.map((r) => r.coverage!.runtime.ratio));
    facts.push(`**${p.title}:** the fused stages are at most ${percent(cmax)} of the unfused runtime, so even an infinitely fast fused kernel gives at most ${times(1 / (1 - Math.min(cmax, 0.999)))} end to end.`);
    const sums = ok.map((r) => r.stageSum!);
    facts.push(`**${p.title}:** the stages timed alone add up to ${timesRange(Math.min(...sums), Math.max(...sums))} the unfused pipeline's time${sums.some((x) => x < 0.9 || x > 1.1) ? ': not additive, so runtime coverage and the prediction are approximations at those sizes (allocation, garbage collection and dispatch between stages are not in any stage alone)' : ''}.`);
    const inPipeline = ok.flatMap((r) => r.groups!.map((g) => ({ r, g })));
    facts.push(`**${p.title}:** the fused kernel alone beats its stages alone by ${listing(inPipeline.map(({ r, g }) => `${speedupWithCi(g.speedup)} at ${r.size}`))}${microQuoted(ok)}.`);
    const copies = inPipeline.filter(({ g }) => g.copy);
    if (copies.length) {
      facts.push(`**${p.title}:** the fused kernel takes ${listing(copies.map(({ r, g }) => `${times(g.copy!.ratio.ratio)} a plain copy of its ${bytes(g.bytesFused)} at ${r.size}`))}${b.copyTarget ? ` (target ≤ ${times(b.copyTarget)})` : ''}.`);
    }
    const kernels = ok[0]!;
    facts.push(`**${p.title}:** kernels per call: unfused ${kernels.unfused!.kernels.join(' → ')}; fused ${kernels.fused!.kernels.join(' → ')}.`);
  }
  return ['## Why', '', facts.length ? bullets(facts) : 'Nothing measured.'].join('\n');
}
