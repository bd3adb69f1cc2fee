/**
 * Writes a run's outputs into one folder: REPORT.md, results.json and calibration-<backend>.json.
 * Everything is rendered and validated first, then renamed into place together, so a failed run
 * leaves the previous reports untouched.
 */
import { join } from 'node:path';
import type { RunResults } from './types.ts';
import { renderReport } from './report/markdown.ts';
import { assertValidResults } from './schema.ts';
import { profileFromResults } from './calibration/profile.ts';
import { writeFilesAtomic } from './io.ts';

export interface OutputOptions {
  /** Hardware name for calibration profiles; defaults to the CPU model or GPU name. */
  readonly hardware?: string;
}

export function writeRunOutputs(results: RunResults, outDir: string, opts: OutputOptions = {}): string[] {
  assertValidResults(results, 'results.json');
  const files: Array<[string, string]> = [
    [join(outDir, 'REPORT.md'), renderReport(results)],
    [join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`],
  ];
  for (const b of results.backends) {
    if (!b.available) continue;
    const profile = profileFromResults(results, b.name, opts.hardware ? { hardware: opts.hardware } : {});
    files.push([join(outDir, `calibration-${b.name}.json`), `${JSON.stringify(profile, null, 2)}\n`]);
  }
  writeFilesAtomic(files);
  return files.map(([p]) => p);
}
