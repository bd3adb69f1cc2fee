/**
 * "Should I fuse it?": one table per family, one row per pattern and backend: the speedup range over sizes, the
 * measured memory reduction, the verdict on the geometric-mean CI, and every measured size with its speedup and a
 * mark from its own CI, so that "should I fuse X on backend B at size S?" is one row and one cell. Then the
 * family's chart of speedup against size.
 */
import type { SizeResult } from '../../core/types.ts';
import type { FamilyView, PatternBackendView, ReportModel } from '../model.ts';
import { isCorrect } from '../model.ts';
import { percentRange, times, timesRange, verdictShort } from '../format.ts';
import { table } from '../table.ts';
import { familyChart, legend } from '../chart.ts';
import { confidenceText, figureCell, patternLink, verdictScale } from '../text.ts';

/** `512×768 3.95× ✓`: a size's speedup and what its CI says about fusing there. */
function sizeMark(r: SizeResult, m: ReportModel): string {
  if (r.status !== 'ok' || !r.speedup) return `${r.size} failed`;
  if (!isCorrect(r)) return `${r.size} ✗ wrong`;
  const mark = r.speedup.lo >= m.config.crossover ? ' ✓' : r.speedup.hi < m.config.verdicts.minimal ? ' ✗' : '';
  return `${r.size} ${times(r.speedup.ratio)}${mark}`;
}

function row(v: PatternBackendView, m: ReportModel, withBackend: boolean): string[] {
  return [
    patternLink(v.pattern),
    ...(withBackend ? [v.backend] : []),
    v.range ? timesRange(v.range.min, v.range.max) : '—',
    v.memory ? percentRange(v.memory.min, v.memory.max) : '—',
    v.aggregate ? figureCell(v.aggregate, v.verdict) : verdictShort(v.verdict),
    v.sizes.map((r) => sizeMark(r, m)).join(' · '),
  ];
}

/** The intro line of the section: how to read a row. */
function legendLine(m: ReportModel): string {
  return `One row per pattern${m.ran.length > 1 ? ' and backend' : ''}. Verdict: on the geometric mean over sizes and its ${confidenceText(m)} CI (${verdictScale(m)}). ` +
    `Per size: speedup (each process's ratio of medians, geometric mean over processes); ✓ fuse there (CI lower bound ≥ ${times(m.config.crossover)}), ✗ don't (CI upper bound < ${times(m.config.verdicts.minimal)}), ` +
    'no mark: the CI does not settle it. Memory reduction: bytes allocated per call, measured. Each pattern links to its per-size table. ' +
    `Charts, one line per backend: ${legend(m.ran.map((b) => b.status.name)).replace(/^Lines: /, '')} A point is the geometric mean over the family's patterns at that size.`;
}

function familyBlock(family: string, views: readonly FamilyView[], m: ReportModel): string {
  const head = views.filter((f) => f.aggregate).map((f) => `${f.backend} ${figureCell(f.aggregate, f.verdict)}`).join(' · ');
  const rows = m.results.patterns
    .filter((p) => p.family === family)
    .flatMap((p) => views.flatMap((f) => f.patterns.filter((v) => v.pattern === p)))
    .map((v) => row(v, m, m.ran.length > 1));
  const chart = familyChart(family, views, m.ran.map((b) => b.status.name), m.config.crossover);
  const out = [
    `### ${family}${head ? `: ${head}` : ''}`,
    '',
    m.ran.length > 1
      ? table(['Pattern', 'Backend', 'Speedup range', 'Memory reduction', 'Verdict (geomean [CI])', 'Per size'], rows, ['l', 'l', 'r', 'r', 'l', 'l'])
      : table(['Pattern', 'Speedup range', 'Memory reduction', 'Verdict (geomean [CI])', 'Per size'], rows, ['l', 'r', 'r', 'l', 'l']),
  ];
  if (chart) out.push('', chart);
  return out.join('\n');
}

export function familySections(m: ReportModel): string {
  const families = [...new Set(m.ran.flatMap((b) => b.families.map((f) => f.family)))];
  const out = ['## Should I Fuse It? By Family', '', legendLine(m)];
  if (families.length === 0) out.push('', 'No pattern ran on any backend.');
  for (const family of families) {
    const views = m.ran.flatMap((b) => b.families.filter((f) => f.family === family));
    out.push('', familyBlock(family, views, m));
  }
  return out.join('\n');
}
