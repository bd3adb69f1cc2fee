/**
 * REPORT.md from a RunResults. Pure: reads neither the clock nor the machine, so the same results and
 * config always render the same bytes (the golden-file test depends on it).
 */
import type { RunResults } from '../core/types.ts';
import { currentConfig, type FusebenchConfig } from '../core/config.ts';
import { buildModel, type ReportModel } from './model.ts';
import { code, utcDate } from './format.ts';
import { machinePhrase } from './text.ts';
import { header } from './sections/header.ts';
import { summary, verdictLine } from './sections/summary.ts';
import { environment } from './sections/environment.ts';
import { methodology } from './sections/methodology.ts';
import { patternSections } from './sections/patterns.ts';
import { crossPattern, sizeSensitivity, summaryTable } from './sections/overview.ts';
import { predictionVsReality } from './sections/prediction.ts';
import { decisionMatrix } from './sections/decision.ts';
import { honestAssessment } from './sections/assessment.ts';
import { strategy } from './sections/strategy.ts';

export interface RenderOptions {
  /** Thresholds to judge with; defaults to the config in force (fusebench.config.ts once loaded). */
  readonly config?: FusebenchConfig;
  /** Sections rendered elsewhere from data RunResults does not hold (e.g. the roofline against measured ceilings), placed before the appendix. */
  readonly extraSections?: readonly string[];
}

function model(results: RunResults, opts: RenderOptions): ReportModel {
  return buildModel(results, opts.config ?? currentConfig());
}

export function renderReport(results: RunResults, opts: RenderOptions = {}): string {
  const m = model(results, opts);
  const sections = [
    header(m),
    summary(m),
    environment(m),
    methodology(m),
    patternSections(m),
    crossPattern(m),
    sizeSensitivity(m),
    predictionVsReality(m),
    decisionMatrix(m),
    honestAssessment(m),
    strategy(m),
    ...(opts.extraSections ?? []).map((x) => x.trim()).filter((x) => x.length > 0),
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
