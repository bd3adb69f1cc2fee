/** Prediction vs Reality: each pattern's measured speedup against the range its suite predicted, in percentage points. */
import type { PatternBackendView, ReportModel } from '../model.ts';
import { code, count, predictionDeltaText, shown, speedupWithCi, timesRange } from '../format.ts';
import { table } from '../table.ts';

/** Whether the CI overlaps the predicted range: a prediction can be missed by the point yet not ruled out. */
function ciAgainstRange(v: PatternBackendView): string {
  const a = v.aggregate!;
  const p = v.prediction;
  if (shown(a.hi) < shown(p.min)) return 'below the range';
  if (shown(a.lo) > shown(p.max)) return 'above the range';
  return 'overlaps the range';
}

export function predictionVsReality(m: ReportModel): string {
  const views = m.ran.flatMap((b) => b.patterns.filter((v) => v.aggregate && v.incorrect.length === 0));
  const out = [
    '## Prediction vs Reality',
    '',
    'Predicted: the suite\'s range for the backend\'s kind (cpu or gpu); each pattern\'s section says where it comes from. Delta: the geometric-mean speedup against that range, ' +
      'in percentage points of speedup (1.00× = 100 pts).',
    '',
  ];
  if (views.length === 0) {
    out.push('No pattern has a correct, timed result to compare with its prediction.');
    return out.join('\n');
  }
  const rows = views.map((v) => [
    code(v.pattern.id),
    v.backend,
    timesRange(v.prediction.min, v.prediction.max),
    speedupWithCi(v.aggregate!),
    v.vsPrediction ? predictionDeltaText(v.vsPrediction) : '—',
    ciAgainstRange(v),
  ]);
  out.push(table(['Pattern', 'Backend', 'Predicted', 'Measured (geomean [CI])', 'Delta', 'CI vs predicted range'], rows, ['l', 'l', 'r', 'r', 'l', 'l']));
  out.push('');
  for (const b of m.ran) {
    const mine = views.filter((v) => v.backend === b.status.name);
    if (mine.length === 0) continue;
    const within = mine.filter((v) => v.vsPrediction?.position === 'within').length;
    const above = mine.filter((v) => v.vsPrediction?.position === 'above').length;
    const below = mine.filter((v) => v.vsPrediction?.position === 'below').length;
    out.push(`- **${b.status.name}:** of ${count(mine.length, 'pattern')}, ${above} above the predicted range, ${within} within it, ${below} below it.`);
  }
  return out.join('\n');
}
