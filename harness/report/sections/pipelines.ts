/**
 * The macro pipelines in their own table: each pipeline's end-to-end speedup per backend against Amdahl's prediction
 * from its measured coverage and the same run's micro speedup, the runtime coverage, the fused kernels against a plain
 * copy of their bytes, and the Decision Matrix row judged now on the CI. Per backend, the figure over all pipelines
 * (each weighs one). Stages, sizes and analysis are in MACRO-REPORT.md.
 */
import type { PipelineResult, PipelineSummary } from '../../core/types.ts';
import type { FusebenchConfig } from '../../core/config.ts';
import type { ReportModel } from '../model.ts';
import { backendOverall } from '../../pipeline-results.ts';
import { decisionSpan, type DecisionSpan } from '../../core/verdicts.ts';
import { decisionMark, listing, percent, pts, speedupWithCi, times, timesRange } from '../format.ts';
import { table } from '../table.ts';

export const MACRO_FILE = 'MACRO-REPORT.md';

/** `✓ Deploy + Expand`, or `inconclusive: ⚠ Deploy, stop expansion … ✓ Deploy + Expand`. */
export function spanText(d: DecisionSpan): string {
  return d.lo === d.hi ? `${decisionMark(d.point)} ${d.point}` : `inconclusive: ${decisionMark(d.lo)} ${d.lo} … ${decisionMark(d.hi)} ${d.hi}`;
}

function row(p: PipelineResult, backend: string, s: PipelineSummary | undefined, config: FusebenchConfig): string[] {
  if (!s) return [p.title, backend, 'no correct size', '—', '—', '—', '—', '—'];
  return [
    p.title,
    backend,
    speedupWithCi(s.speedup),
    s.predicted ? speedupWithCi(s.predicted) : '—',
    s.deltaPts === undefined ? '—' : pts(s.deltaPts),
    percent(s.coverage),
    s.copy ? timesRange(s.copy.best, s.copy.worst) : '—',
    s.incorrect.length ? `✗ incorrect at ${listing(s.incorrect)}` : spanText(decisionSpan(s.speedup, config.decisions)),
  ];
}

/** Each backend's end-to-end figure over its pipelines, with its decision, for the verdict and the Decision Matrix. */
export function pipelineOverall(m: ReportModel): Array<{ backend: string; speedup: { ratio: number; lo: number; hi: number }; decision: DecisionSpan; pipelines: number }> {
  const pipelines = m.results.pipelines ?? [];
  if (pipelines.length === 0) return [];
  return m.ran.flatMap((b) => {
    const wrong = pipelines.some((p) => p.summary.some((s) => s.backend === b.status.name && s.incorrect.length > 0));
    // Resampled as often as the run recorded, so a backend with one pipeline reads the same as that pipeline's row.
    const config = { ...m.config, sampling: { ...m.config.sampling, bootstrapResamples: m.results.sampling.bootstrap } };
    const o = wrong ? undefined : backendOverall(pipelines, b.status.name, config);
    return o ? [{ backend: b.status.name, ...o }] : [];
  });
}

export function pipelinesSection(m: ReportModel): string | undefined {
  const pipelines = m.results.pipelines ?? [];
  if (pipelines.length === 0) return undefined;
  const rows = pipelines.flatMap((p) => {
    const backends = [...new Set(p.results.map((r) => r.backend))];
    return backends.map((b) => row(p, b, p.summary.find((s) => s.backend === b), m.config));
  });
  return [
    '## Pipelines: Fusion End to End',
    '',
    'Each pipeline runs several ops end to end, some replaced by a fused kernel; its figure is the geometric mean over its correct sizes, with a bootstrap CI. ' +
      `Amdahl predicted: 1 / ((1 − c) + c / s) from the measured runtime coverage c and the micro suite's speedup s in the same run; the Decision Matrix row is judged on the CI (≥ ${times(m.config.decisions.expand)}: Deploy + Expand). ` +
      `Stages, sizes, the Amdahl inputs and the analysis: see [${MACRO_FILE}](${MACRO_FILE}) beside this file.`,
    '',
    table(['Pipeline', 'Backend', 'End-to-end speedup [CI]', 'Amdahl predicted [CI]', 'Measured − predicted', 'Runtime coverage', 'Fused kernel ÷ copy', 'Decision'],
      rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l']),
  ].join('\n');
}
