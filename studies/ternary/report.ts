/**
 * The ternary study's wording for MACRO-REPORT.md, on fusebench's public API only: the Phase 4.1 framing, its
 * question (Phase 4.2/4.3), the copy target, the study's claims checked against a run's results.json, and the
 * facts of int32 trit storage. Every figure comes from the results; the study's own figures appear as "Study".
 */
import { backendOverall, defaultConfig, format, geomean, renderMacroReport, table } from 'fusebench';
import type { FusebenchConfig, Interval, MacroReportOptions, PipelineResult, RunResults } from 'fusebench';
import { COPY_TARGET, IMAGE, MICRO, NEURAL, STUDY } from './claims.ts';

const x = format.times;
const withCi = format.speedupWithCi;

/** Whether a measured interval confirms a claimed speedup, contradicts it, or cannot tell. */
function holds(measured: Interval | undefined, claimed: number): string {
  if (!measured) return 'not measured';
  return measured.lo >= claimed ? 'yes' : measured.hi < claimed ? 'no (measured lower)' : 'consistent (the CI contains it)';
}

const summaryOf = (results: RunResults, id: string, backend: string) =>
  (results.pipelines ?? []).find((p) => p.id === id)?.summary.find((s) => s.backend === backend);

function microOn(results: RunResults, backend: string) {
  const sizes = (results.patterns.find((p) => p.id === MICRO)?.results ?? []).filter((r) => r.backend === backend && r.status === 'ok' && r.speedup);
  if (sizes.length === 0) return undefined;
  const ratios = sizes.map((r) => r.speedup!.ratio);
  return { geomean: geomean(ratios), min: Math.min(...ratios), max: Math.max(...ratios), sizes };
}

/** The study's claims against this run, on one backend. */
export function studyComparison(results: RunResults, backend: string, config: FusebenchConfig): string {
  const image = summaryOf(results, IMAGE, backend);
  const neural = summaryOf(results, NEURAL, backend);
  const overall = backendOverall((results.pipelines ?? []) as PipelineResult[], backend, config);
  const micro = microOn(results, backend);
  const row = (claim: string, study: string, measured: string, verdict: string): string[] => [claim, study, measured, verdict];
  const rows = [
    row('Micro speedup of tnot∘tadd (Phase 4.1)', x(STUDY.microSpeedup), micro ? `${x(micro.geomean)} geometric mean (${x(micro.min)}–${x(micro.max)})` : 'not measured',
      micro ? `at ${micro.sizes.filter((r) => r.speedup!.hi >= STUDY.microSpeedup).length} of ${micro.sizes.length} sizes the CI reaches it` : 'not measured'),
    row('Predicted macro speedup', `${x(STUDY.predictedMacro)} (c ≈ ${format.percent(STUDY.coverage)}, s = ${x(STUDY.microSpeedup)})`,
      [image, neural].flatMap((s, i) => (s?.predicted ? [`${i === 0 ? 'image' : 'neural'} ${x(s.predicted.ratio)}`] : [])).join(', ') || 'not measured', 'from this run\'s own c and s'),
    row('Image pipeline macro speedup', x(STUDY.imageMacro), image ? withCi(image.speedup) : 'not measured', holds(image?.speedup, STUDY.imageMacro)),
    row('Neural layer macro speedup', x(STUDY.neuralMacro), neural ? withCi(neural.speedup) : 'not measured', holds(neural?.speedup, STUDY.neuralMacro)),
    row('Overall macro speedup', x(STUDY.overallMacro), overall ? withCi(overall.speedup) : 'not measured', holds(overall?.speedup, STUDY.overallMacro)),
    row('Neural layer runtime coverage', `~${format.percent(STUDY.coverage)}`, neural ? format.percent(neural.coverage) : 'not measured', '—'),
  ];
  const lines = [
    `## Against the Study (${STUDY.source})`,
    '',
    'The study\'s figures are quoted, not measured here; the measured column is this run.',
    '',
    table(['Claim', 'Study', `Measured on ${backend}`, 'Holds here?'], rows, ['l', 'r', 'r', 'l']),
  ];
  return lines.join('\n');
}

/** Honest-assessment bullets that only this study can state: its claims, and what int32 trits cost. */
function assessment(results: RunResults, backend: string, config: FusebenchConfig): ReturnType<NonNullable<MacroReportOptions['assessment']>> {
  const overall = backendOverall((results.pipelines ?? []) as PipelineResult[], backend, config);
  const cannot: string[] = [];
  if (overall && overall.speedup.hi < STUDY.headline.min) cannot.push(`❌ ~~"Phase 4.1 fusion gives 25–40% in realistic ternary pipelines"~~ (measured ${withCi(overall.speedup)} on ${backend})`);
  else if (overall && overall.speedup.lo < STUDY.headline.min) cannot.push(`❌ "Phase 4.1 fusion gives 25–40% in realistic ternary pipelines" as a firm number: the measured ${withCi(overall.speedup)} does not confirm it`);
  const micro = microOn(results, backend);
  if (micro && micro.sizes.every((r) => r.speedup!.hi < STUDY.microSpeedup)) cannot.push(`❌ ~~"Micro speedup ${x(STUDY.microSpeedup)}"~~ (every micro size's CI lies below it on ${backend})`);
  cannot.push('❌ int8 speed: tfjs has no int8 dtype, so "a quarter of the bytes" is a byte count, not a measurement');
  cannot.push('❌ Real applications: both workloads are the study\'s synthetic pipelines');
  const bytesFused = (results.pipelines ?? []).flatMap((p) => p.results.filter((r) => r.backend === backend).flatMap((r) => (r.groups ?? []).map((g) => g.bytesFused)));
  const biggest = bytesFused.length ? Math.max(...bytesFused) : undefined;
  const limits = [`⚠ **int32 storage:** tfjs has no int8 dtype, so every trit costs 4 bytes${biggest ? ` (the largest fused kernel here moves ${format.bytes(biggest)}; int8 would move a quarter of that)` : ''}`];
  return { limits, cannot };
}

/** MACRO-REPORT.md options for the ternary study: its title, question, copy target, claims and limitations. */
export function ternaryStudyReport(results: RunResults, config: FusebenchConfig = defaultConfig): MacroReportOptions {
  return {
    config,
    title: 'Macro Benchmark Results: Phase 4.1 Fusion Validation',
    question: 'Should we invest in Phase 4.2/4.3 (more fusion patterns)?',
    subject: 'Phase 4.1 (the fused tnot∘tadd kernel)',
    copyTarget: COPY_TARGET,
    extraSections: (backend) => [studyComparison(results, backend, config)],
    assessment: (backend) => assessment(results, backend, config),
  };
}

/** The study-shaped MACRO-REPORT.md of a run (undefined when it measured no pipeline). */
export function renderTernaryStudy(results: RunResults, config: FusebenchConfig = defaultConfig): string | undefined {
  return renderMacroReport(results, ternaryStudyReport(results, config));
}
