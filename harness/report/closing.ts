/** The lines a run ends with on the terminal: the verdict per backend and where the report is. */
import { join } from 'node:path';
import type { RunResults } from '../core/types.ts';
import { currentConfig, type FusebenchConfig } from '../core/config.ts';
import { buildModel } from './model.ts';
import { verdictLine } from './sections/verdict.ts';

export function closingLines(results: RunResults, outDir: string, seconds?: number, config: FusebenchConfig = currentConfig()): string[] {
  const verdict = verdictLine(buildModel(results, config)).replace(/\*\*/g, '');
  const took = seconds === undefined ? '' : ` in ${seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`}`;
  const pipelines = results.pipelines?.length ?? 0;
  const what = `${results.patterns.length} suite(s)${pipelines ? ` and ${pipelines} pipeline(s)` : ''}`;
  return [verdict, `fusebench: ${what}${took}; report: ${join(outDir, 'REPORT.md')}${pipelines ? `, ${join(outDir, 'MACRO-REPORT.md')}` : ''}`];
}
