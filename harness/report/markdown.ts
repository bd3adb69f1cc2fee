/**
 * REPORT.md and DETAILS.md from a RunResults. REPORT.md is the decision, in the shape of the studies: the verdict
 * per backend first, then one table per family, the wins and losses with their measured reasons, prediction vs
 * reality, the Decision Matrix, a short Honest Assessment, the strategy, and links to the detail. DETAILS.md holds
 * every per-size figure, the kernels, the notes, the methodology and the environment.
 * Pure: reads neither the clock nor the machine, so the same results and config always render the same bytes (the
 * golden-file test depends on it). Verdicts are judged here, with the config given.
 */
import type { RunResults } from '../core/types.ts';
import { currentConfig, type FusebenchConfig } from '../core/config.ts';
import { buildModel, type ReportModel } from './model.ts';
import { code, utcDate } from './format.ts';
import { DETAILS_FILE, detailsLink, machinePhrase } from './text.ts';
import { detailsHeader, header } from './sections/header.ts';
import { verdictLine, verdictSection } from './sections/verdict.ts';
import { familySections } from './sections/families.ts';
import { extremes } from './sections/extremes.ts';
import { familyPredictionVsReality, predictionVsReality } from './sections/prediction.ts';
import { decisionMatrix } from './sections/decision.ts';
import { briefAssessment } from './sections/brief-assessment.ts';
import { FULL_ASSESSMENT_TITLE, honestAssessment } from './sections/assessment.ts';
import { familyStrategy, strategy } from './sections/strategy.ts';
import { environment } from './sections/environment.ts';
import { methodology } from './sections/methodology.ts';
import { patternSections, sharedNotes } from './sections/patterns.ts';
import { crossPattern, sizeSensitivity, summaryTable } from './sections/overview.ts';
import { runNotes } from './notes.ts';
import { pipelinesSection } from './sections/pipelines.ts';

export interface RenderOptions {
  /** Thresholds to judge with; defaults to the config in force (fusebench.config.ts once loaded). */
  readonly config?: FusebenchConfig;
  /**
   * Sections rendered elsewhere from data RunResults does not hold (the roofline against measured ceilings, the
   * PyTorch side by side), each a `## ` section: placed at the end of DETAILS.md and linked from REPORT.md.
   */
  readonly extraSections?: readonly string[];
  /** Sections of REPORT.md rendered from data the report model does not cover (e.g. the macro pipelines), after the family tables. */
  readonly reportSections?: readonly string[];
}

function model(results: RunResults, opts: RenderOptions): ReportModel {
  return buildModel(results, opts.config ?? currentConfig());
}

const nonEmpty = (sections: readonly string[] | undefined): string[] => (sections ?? []).map((x) => x.trim()).filter((x) => x.length > 0);

/** The `## ` headings of a section's text, for links. */
function headings(section: string): string[] {
  return section.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).trim());
}

function detailLinks(m: ReportModel, extra: readonly string[]): string {
  const shared = runNotes(m.results).some((n) => n.patterns.length > 1);
  const links = [
    `${detailsLink('Results by pattern', 'Results by Pattern')}: every size with throughput, latency, device time, the rounds and processes behind each CI, ` +
      `kernels launched, memory and the float64 error${shared ? `; the suites' ${detailsLink('notes', 'Notes')}, each written once` : ''}`,
    `${detailsLink('Methodology', 'Methodology')}, ${detailsLink('machine and backends', 'Machine and Backends')}, ${detailsLink('every finding', FULL_ASSESSMENT_TITLE)}, ` +
      `${detailsLink('prediction vs reality', 'Prediction vs Reality by Pattern')} and ${detailsLink('strategy', 'Hardware-aware Strategy by Pattern')} per pattern` +
      `${extra.length ? `; ${extra.flatMap(headings).map((h) => detailsLink(h, h)).join(', ')}` : ''}`,
    '`results.json` beside this file holds the raw samples every figure here is computed from; `fusebench render results.json [--config FILE]` re-renders both files under other thresholds',
  ];
  return ['## Detail', '', ...links.map((l) => `- ${l}`)].join('\n');
}

export function renderReport(results: RunResults, opts: RenderOptions = {}): string {
  const m = model(results, opts);
  const sections = [
    header(m),
    verdictSection(m),
    familySections(m),
    pipelinesSection(m),
    ...nonEmpty(opts.reportSections),
    extremes(m),
    familyPredictionVsReality(m),
    decisionMatrix(m),
    briefAssessment(m),
    familyStrategy(m),
    detailLinks(m, nonEmpty(opts.extraSections)),
  ].filter((s): s is string => s !== undefined);
  return `${sections.join('\n\n')}\n`;
}

export function renderDetails(results: RunResults, opts: RenderOptions = {}): string {
  const m = model(results, opts);
  const sections = [
    detailsHeader(m),
    environment(m),
    methodology(m),
    crossPattern(m),
    patternSections(m),
    sharedNotes(m),
    sizeSensitivity(m),
    predictionVsReality(m),
    honestAssessment(m),
    strategy(m),
    ...nonEmpty(opts.extraSections),
  ].filter((s): s is string => s !== undefined);
  return `${sections.join('\n\n---\n\n')}\n`;
}

export interface ExcerptOptions extends RenderOptions {
  /** At most this many patterns per backend table (best first). */
  readonly maxPatterns?: number;
}

/** A short excerpt for the README: provenance, the verdict line and the summary table of each backend. */
export function renderReportExcerpt(results: RunResults, opts: ExcerptOptions = {}): string {
  const m = model(results, opts);
  const r = m.results;
  const lines = [
    `*Excerpt of a fusebench report: ${code(r.command)} on ${machinePhrase(m)}, Node ${r.machine.node}, tfjs ${r.machine.tfjs}, ${utcDate(r.createdAt)}${r.quick ? ', quick mode' : ''}.*`,
    '',
    verdictLine(m),
  ];
  for (const b of m.ran) lines.push('', summaryTable(m, b, opts.maxPatterns));
  return `${lines.join('\n')}\n`;
}

export { DETAILS_FILE };
