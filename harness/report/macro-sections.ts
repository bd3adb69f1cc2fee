/** The measured sections of MACRO-REPORT.md: methodology, per-pipeline results and analysis, micro, copy, comparison. */
import type { MacroBackendResult, MacroStudyResults, PipelineResult, PipelineSizeResult } from '../pipeline/results.ts';
import type { Interval } from '../core/types.ts';
import { usable } from '../pipeline/summary.ts';
import { describeTimingMode } from '../pipeline/sampler.ts';
import { amdahl, geomean } from '../pipeline/math.ts';
import { verdictText } from '../core/verdicts.ts';
import { bullets, ci, count, gainWords, mib, ms, pct, pctCi, pts, table, times } from './macro-format.ts';

export interface BackendContext {
  readonly study: MacroStudyResults;
  readonly b: MacroBackendResult;
  readonly name: string;
  readonly image?: PipelineResult;
  readonly neural?: PipelineResult;
}

export const pipelineSummary = (ctx: BackendContext, p: PipelineResult | undefined) =>
  p ? ctx.b.summary.pipelines.find((s) => s.id === p.id) : undefined;

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function sizeCell(r: PipelineSizeResult): string | undefined {
  if (r.status !== 'ok') return `failed: ${r.error ?? 'unknown error'}`;
  if (!r.correctness?.ok) return `✗ incorrect (unfused ${r.correctness?.unfusedMismatches ?? '?'}, fused ${r.correctness?.fusedMismatches ?? '?'} mismatches)`;
  return undefined;
}

function range(values: readonly number[], fmt: (v: number) => string): string {
  if (values.length === 0) return 'n/a';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return fmt(lo) === fmt(hi) ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
}

export function methodology(ctx: BackendContext): string {
  const { study, b } = ctx;
  const s = study.sampling;
  const modes = [...new Set(b.pipelines.flatMap((p) => p.results.flatMap((r) => (r.timing ? [r.timing] : []))))];
  const largest = b.pipelines.flatMap((p) => p.results.filter(usable).flatMap((r) => (r.groups ?? []).map((g) => ({ p, r, g }))))
    .sort((x, y) => y.g.bytesFused - x.g.bytesFused)[0];
  const lines = [
    '**Approach:**',
    bullets([
      'Two multi-stage ternary pipelines, each declared as a list of stages with the fused ones marked (suites/pipelines/*.pipeline.ts); the planner turns each marked pair into one generated kernel.',
      `Per size, interleaved rounds (up to ${study.quick ? s.rounds : s.rounds} rounds, at least ${s.minRounds}, at most ~${s.maxSecondsPerSize} s of sampling; ${s.warmup} warm-up calls per variant; each sample ≥ ${s.minSampleMs} ms of back-to-back calls) of: the unfused pipeline, the fused pipeline, every unfused stage alone, the fused kernel alone and a plain copy of the fused kernel's bytes. The order of variants rotates every round.`,
      'Every call ends with its result read back to the host (`await tensor.data()`), and every tensor is disposed (the tensor count is checked after each size).',
      `Timing on this backend: ${modes.map(describeTimingMode).join('; ') || 'n/a'}. End-to-end speedups use wall time (read-back included), as the study measured wall-clock time; coverage and the micro speedup at each size use compute time.`,
      `Speedup = median(unfused) ÷ median(fused); 95% intervals are percentile bootstraps (${s.bootstrap} resamples) over whole rounds. Averages are geometric means over sizes, with a joint bootstrap.`,
      'Correctness gates every number: before timing, both pipelines run with trit validation on and must match a float64 JavaScript reference exactly; timed calls run with validation off.',
      `Trits are stored in int32 tensors because tfjs has no int8 dtype: 4 bytes per trit. int8 storage would move a quarter of the bytes${largest ? ` (the fused kernel at ${largest.r.size} of the ${largest.p.title.toLowerCase()} moves ${mib(largest.g.bytesFused)} as int32; as int8 it would move ${mib(largest.g.bytesFused / 4)})` : ''}; no int8 kernel was measured.`,
      `Copy yardstick: FusebenchCopy copies (inputs + 1) ÷ 2 × N int32 values, so it reads and writes the same number of bytes as the fused kernel; the performance target is fused ≤ ${study.copyTarget}× copy.`,
    ]),
    '',
    '**Theoretical prediction (per size, from this run\'s own measurements):**',
    bullets([
      'Micro speedup s: the fused kernel alone vs its two unfused stages alone, on the same inputs, in the same rounds.',
      'Fusion coverage c: time of the fused stages (alone) ÷ time of the whole unfused pipeline (share of the measured unfused runtime); the share of operations is reported too.',
      '**Expected macro: 1 / ((1 − c) + c / s)** (Amdahl), bootstrapped over rounds like the measurements.',
    ]),
  ];
  return lines.join('\n');
}

function workload(p: PipelineResult): string {
  const firstOf = new Map<string, number>();
  const rows = p.stages.map((s, i) => {
    const base = `${i + 1}. ${capital(s.name)} (${s.op})`;
    if (!s.fused) return base;
    if (!firstOf.has(s.fused)) {
      firstOf.set(s.fused, i + 1);
      return base;
    }
    return `${base.padEnd(32)}← FUSION with step ${firstOf.get(s.fused)}`;
  });
  return ['```', ...rows, '```'].join('\n');
}

function coverageLine(p: PipelineResult): string {
  const ok = p.results.filter(usable);
  const first = ok[0];
  if (!first) return '**Fusion coverage:** not measured (no size completed correctly)';
  const c = first.coverage!;
  const inGroups = Math.round(c.opShare * p.stages.length);
  const removed = Math.round(c.opsRemovedShare * p.stages.length);
  const runtime = range(ok.map((r) => r.coverage!.runtimeShare.ratio), pct);
  return `**Fusion coverage:** ${pct(c.opShare)} of operations (${inGroups} of ${p.stages.length} stages run fused; fusion removes ${removed} of ${p.stages.length} = ${pct(c.opsRemovedShare)}, the study's way of counting), ${runtime} of measured unfused runtime`;
}

function analysis(ctx: BackendContext, p: PipelineResult): string {
  const ok = p.results.filter(usable);
  if (ok.length === 0) return 'No size completed with correct results, so there is nothing to analyse.';
  const sizeHeader = p.kind === 'neural' ? 'Layer Size' : 'Image Size';
  const rows = ok.map((r) => [
    r.size,
    pctCi(r.coverage!.runtimeShare),
    ci(r.groups![0].microSpeedup),
    ci(r.prediction!),
    ci(r.macro!),
    pts(r.macro!.ratio - r.prediction!.ratio),
    times(r.macroCompute!.ratio),
  ]);
  const above = ok.filter((r) => r.macro!.lo > r.prediction!.hi).map((r) => r.size);
  const below = ok.filter((r) => r.macro!.hi < r.prediction!.lo).map((r) => r.size);
  const agree = ok.length - above.length - below.length;
  const facts: string[] = [];
  const widest = Math.max(...ok.map((r) => (r.macro!.hi - r.macro!.lo) / r.macro!.ratio));
  const weak = widest > 0.3 ? ` The measured intervals are wide (up to ${pct(widest)} of the estimate), so agreement here is weak evidence.` : '';
  facts.push(agree === ok.length
    ? `Measured and predicted intervals overlap at all ${ok.length} sizes: Amdahl's law with the measured coverage and micro speedup is consistent with the end-to-end result.${weak}`
    : `Measured and predicted intervals overlap at ${agree} of ${ok.length} sizes${above.length ? `; measured exceeds the prediction at ${above.join(', ')}` : ''}${below.length ? `; measured falls short of it at ${below.join(', ')}` : ''}.${weak}`);
  const wallVsCompute = geomean(ok.map((r) => r.macro!.ratio)) - geomean(ok.map((r) => r.macroCompute!.ratio));
  if (ok.some((r) => r.timing !== 'wall')) {
    const readShare = ok.map((r) => 1 - r.fused!.compute.medianMs / r.fused!.wall.medianMs);
    facts.push(`Reading the result back is ${range(readShare, pct)} of the fused pipeline's wall time; on compute time alone the speedup is ${times(geomean(ok.map((r) => r.macroCompute!.ratio)))} (geometric mean) against ${times(geomean(ok.map((r) => r.macro!.ratio)))} end to end (${pts(-wallVsCompute)} from the read-back).`);
  }
  const sums = ok.map((r) => r.stageSumOverPipeline!);
  facts.push(`Stages timed alone add up to ${range(sums, times)} the unfused pipeline's compute time${sums.some((x) => x < 0.9 || x > 1.1) ? ' — not additive, so runtime coverage (and the prediction) are approximations at those sizes' : ''}.`);
  const overhead = ok.filter((r) => r.stageSumOverPipeline! < 0.9 && r.macro!.lo > r.prediction!.hi);
  if (overhead.length) {
    facts.push(`Where the measurement beats the prediction (${overhead.map((r) => r.size).join(', ')}), the unfused pipeline also spends ${range(overhead.map((r) => 1 - r.stageSumOverPipeline!), pct)} of its compute time outside its stages as timed alone (allocation, garbage collection, bookkeeping). Fusion removes one intermediate tensor per call, and the Amdahl model does not count that overhead: a candidate explanation, not a measured one.`);
  }
  const cmax = Math.max(...ok.map((r) => r.coverage!.runtimeShare.ratio));
  facts.push(`Even an infinitely fast fused kernel could give at most ${times(1 / (1 - Math.min(cmax, 0.999)))} here (1 / (1 − c) at the largest measured coverage, ${pct(cmax)}).`);
  const first = ok[0];
  facts.push(`Kernels per call — unfused: ${first.unfused!.kernels.join(' → ')}; fused: ${first.fused!.kernels.join(' → ')}.`);
  const bad = p.results.filter((r) => r.status !== 'ok' || !r.correctness?.ok);
  facts.push(bad.length === 0
    ? `Both pipelines match the reference exactly at all ${p.results.length} sizes.`
    : `Excluded from every figure: ${bad.map((r) => `${r.size} (${sizeCell(r)})`).join('; ')}.`);
  return [
    table([sizeHeader, 'Runtime coverage c', 'Micro speedup s (at this size)', 'Predicted 1/((1−c)+c/s)', 'Measured (end to end)', 'Measured − predicted', 'Measured (compute only)'], rows),
    '',
    bullets(facts),
  ].join('\n');
}

export function benchmarkSection(ctx: BackendContext, p: PipelineResult, index: number): string {
  const sum = pipelineSummary(ctx, p);
  const resultsTable = p.kind === 'neural'
    ? table(['Layer Size', 'Speedup'], p.results.map((r) => [r.size, sizeCell(r) ?? ci(r.macro!)]))
    : table(['Image Size', 'Unfused (ms)', 'Fused (ms)', 'Speedup'], p.results.map((r) => {
      const bad = sizeCell(r);
      return bad ? [r.size, '—', '—', bad] : [r.size, ms(r.unfused!.wall.medianMs), ms(r.fused!.wall.medianMs), ci(r.macro!)];
    }));
  return [
    `## Benchmark ${index}: ${p.title}`,
    '',
    `**Workload:** ${p.description}`,
    workload(p),
    '',
    coverageLine(p),
    '',
    '### Results',
    '',
    resultsTable,
    '',
    sum ? `**Average: ${ci(sum.macro)} (${gainWords(sum.macro.ratio)}), geometric mean over ${sum.sizes} size(s)**` : '**Average: not measured**',
    '',
    '### Analysis',
    '',
    analysis(ctx, p),
  ].join('\n');
}

export function microSection(ctx: BackendContext): string {
  const { b, study } = ctx;
  const claim = study.study.microSpeedup;
  const parts = [`## Micro Benchmark: Phase 4.1 Kernel tnot∘tadd vs the Study's ${times(claim)}`, ''];
  const m = b.micro;
  if (!m || m.results.length === 0) {
    parts.push('The micro suite was not measured on this backend.');
  } else {
    parts.push(`Measured by the harness engine (suite \`${m.id}\`, ${m.file.split('/').slice(-3).join('/')}): unfused tadd then tnot vs the fused kernel, wall time per call including the read-back.`, '');
    parts.push(table(['Elements', 'Unfused (ms)', 'Fused (ms)', 'Speedup [95% CI]', 'Verdict', `vs the study's ${times(claim)}`], m.results.map((r) => r.status !== 'ok'
      ? [r.size, '—', '—', `failed: ${r.error ?? ''}`, '—', '—']
      : [r.size, ms(r.unfused!.throughputMs), ms(r.fused!.throughputMs), ci(r.speedup!), verdictText(r.judgement!),
        r.speedup!.lo > claim ? 'above' : r.speedup!.hi < claim ? 'below' : 'consistent (CI contains it)'])));
    const s = b.summary.micro;
    if (s) parts.push('', `Geometric mean ${times(s.geomean)} over ${s.sizes} size(s) (range ${times(s.min)}–${times(s.max)}); ${s.correct ? 'the fused kernel matched the reference exactly at every size' : 'NOT every size was correct — see the table'}.`);
  }
  const atSize = b.pipelines.flatMap((p) => p.results.filter(usable).flatMap((r) => (r.groups ?? []).map((g) => [
    p.title, r.size, count(g.elements), ms(r.stages!.filter((st) => st.fusedGroup === g.label).reduce((a, st) => a + st.compute.medianMs, 0)), ms(g.fusedAlone.medianMs), ci(g.microSpeedup),
  ])));
  if (atSize.length) {
    parts.push('', 'The same kernel alone at the pipelines\' sizes (compute time, measured inside the pipeline rounds; this is the s of the Amdahl prediction):', '');
    parts.push(table(['Pipeline', 'Size', 'Elements', 'Unfused stages (ms)', 'Fused kernel (ms)', 'Micro speedup'], atSize));
  }
  return parts.join('\n');
}

export function copySection(ctx: BackendContext): string {
  const target = ctx.study.copyTarget;
  const rows = ctx.b.pipelines.flatMap((p) => p.results.filter(usable).flatMap((r) => (r.groups ?? []).flatMap((g) => (g.copy ? [[
    p.title, r.size, mib(g.bytesFused), ms(g.fusedAlone.medianMs), ms(g.copy.compute.medianMs),
    `${(g.bytesFused / (g.fusedAlone.medianMs * 1e6)).toFixed(1)} / ${(g.copy.bytes / (g.copy.compute.medianMs * 1e6)).toFixed(1)}`,
    ci(g.copy.ratio), g.copy.ratio.ratio <= target ? (g.copy.ratio.hi <= target ? '✓' : '✓ (CI reaches above)') : '✗',
  ]] : []))));
  const c = ctx.b.summary.copy;
  return [
    `## Fused Kernel vs a Plain Copy (the memory-bound limit, target ≤ ${target}×)`,
    '',
    rows.length === 0 ? 'No copy kernel (FusebenchCopy) is registered for this backend, so the yardstick was not measured.' : table(
      ['Pipeline', 'Size', 'Bytes moved', 'Fused kernel (ms)', 'Copy (ms)', 'GB/s fused / copy', 'Fused ÷ copy [95% CI]', `≤ ${target}×`], rows),
    '',
    c ? `The fused kernel is within ${target}× of a plain copy at ${c.within} of ${c.of} size(s) (ratios ${times(c.best)}–${times(c.worst)}).` : '',
    c && c.best < 1 ? '\nRatios below 1× are possible: the copy writes (inputs + 1) ÷ 2 times as many bytes as the fused kernel, and a write-allocate cache reads every line it writes, so the copy\'s real traffic exceeds the byte count above.' : '',
  ].join('\n');
}

export function comparisonSection(ctx: BackendContext): string {
  const { study, b } = ctx;
  const claims = study.study;
  const img = pipelineSummary(ctx, ctx.image);
  const nn = pipelineSummary(ctx, ctx.neural);
  const row = (label: string, s: typeof img): string[] => s
    ? [label, `${times(s.prediction.ratio)} (${gainWords(s.prediction.ratio)})`, `${times(s.macro.ratio)} (${gainWords(s.macro.ratio)})`, `**${pts(s.macro.ratio - s.prediction.ratio)}**`]
    : [label, 'not measured', 'not measured', '—'];
  const rows = [row('Image Pipeline', img), row('Neural Layer', nn)];
  if (b.summary.overall && b.summary.overallPrediction !== undefined) {
    rows.push(['**Overall**', `**${times(b.summary.overallPrediction)}**`, `**${times(b.summary.overall.ratio)}**`, `**${pts(b.summary.overall.ratio - b.summary.overallPrediction)}**`]);
  }
  const measuredPipes = [['image pipeline', img], ['neural layer', nn]] as const;
  const placed = measuredPipes.filter(([, s]) => s !== undefined).map(([label, s]) => ({
    label, where: s!.macro.lo > s!.prediction.ratio ? 'above' : s!.macro.hi < s!.prediction.ratio ? 'below' : 'within', s: s!,
  }));
  const accuracy = placed.length === 0 ? 'No prediction could be checked.'
    : placed.every((p) => p.where === 'within') ? `The prediction lies inside the measured 95% interval for every pipeline (${placed.map((p) => `${p.label}: ${times(p.s.prediction.ratio)} in ${ci(p.s.macro)}`).join('; ')}): no evidence that the end-to-end result beats or misses Amdahl's law.`
      : placed.every((p) => p.where === 'above') ? `We were **conservative**: every pipeline's measured interval lies above its prediction (${placed.map((p) => `${p.label}: ${ci(p.s.macro)} vs ${times(p.s.prediction.ratio)}`).join('; ')}).`
        : placed.every((p) => p.where === 'below') ? `We were **optimistic**: every pipeline's measured interval lies below its prediction (${placed.map((p) => `${p.label}: ${ci(p.s.macro)} vs ${times(p.s.prediction.ratio)}`).join('; ')}).`
          : `Mixed: ${placed.map((p) => `${p.label} measured ${p.where === 'within' ? 'consistent with' : `${p.where}`} the prediction (${ci(p.s.macro)} vs ${times(p.s.prediction.ratio)})`).join('; ')}.`;
  const studyAmdahl = amdahl(claims.coverage, claims.microSpeedup);
  /** A claimed speedup against a measured interval: above, below, or inside it. */
  const holds = (measured: Interval | undefined, claimed: number): string => measured === undefined ? 'not measured'
    : measured.lo >= claimed ? 'yes' : measured.hi < claimed ? 'no (measured lower)' : 'consistent (the CI contains it)';
  const microRows = b.micro?.results.filter((r) => r.status === 'ok' && r.speedup) ?? [];
  const microHolds = microRows.length === 0 ? 'not measured'
    : `at ${microRows.filter((r) => r.speedup!.hi >= claims.microSpeedup).length} of ${microRows.length} sizes the CI reaches it`;
  const overallVsPrediction = b.summary.overall && b.summary.overallPrediction !== undefined
    ? (b.summary.overall.lo > b.summary.overallPrediction ? 'yes' : b.summary.overall.hi < b.summary.overallPrediction ? 'no (below)' : 'not distinguishable (the CI contains the prediction)')
    : 'not measured';
  const studyRows = [
    ['Micro speedup of tnot∘tadd', times(claims.microSpeedup), b.summary.micro ? `${times(b.summary.micro.geomean)} geometric mean (range ${times(b.summary.micro.min)}–${times(b.summary.micro.max)})` : 'not measured', microHolds],
    ['Predicted macro speedup', `${times(claims.predictedMacro)} (from c ≈ ${pct(claims.coverage)}, s = ${times(claims.microSpeedup)}; Amdahl with those inputs gives ${times(studyAmdahl)})`, b.summary.overallPrediction !== undefined ? `${times(b.summary.overallPrediction)} (from this run's c and s)` : 'not measured', '—'],
    ['Image pipeline macro speedup', times(claims.imageMacro), img ? ci(img.macro) : 'not measured', holds(img?.macro, claims.imageMacro)],
    ['Neural layer macro speedup', times(claims.neuralMacro), nn ? ci(nn.macro) : 'not measured', holds(nn?.macro, claims.neuralMacro)],
    ['Overall macro speedup', times(claims.overallMacro), b.summary.overall ? ci(b.summary.overall) : 'not measured', holds(b.summary.overall, claims.overallMacro)],
    ['Neural layer runtime coverage', `~${pct(claims.coverage)}`, nn ? pct(nn.coverage) : 'not measured', '—'],
    ['Macro exceeds the prediction', `yes (${pts(claims.overallMacro - claims.predictedMacro)})`,
      b.summary.overall && b.summary.overallPrediction !== undefined ? `${ci(b.summary.overall)} vs ${times(b.summary.overallPrediction)} (${pts(b.summary.overall.ratio - b.summary.overallPrediction)})` : 'not measured', overallVsPrediction],
  ];
  return [
    '## Comparison: Prediction vs Reality',
    '',
    table(['Metric', 'Predicted', 'Measured (Avg)', 'Delta'], rows),
    '',
    `**Prediction accuracy:** ${accuracy}`,
    '',
    `### Against the study (${claims.source})`,
    '',
    table(['Claim', 'Study', `Measured on ${ctx.name}`, 'Holds here?'], studyRows),
  ].join('\n');
}
