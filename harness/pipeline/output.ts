/**
 * Writes a macro study's outputs into one folder: MACRO-REPORT.md and MACRO-RESULTS.json. The document is
 * validated first (schemas/macro-results.schema.json), then both files are renamed into place together,
 * so an invalid document or a failed write leaves the previous files untouched.
 */
import { join } from 'node:path';
import type { MacroStudyResults } from './results.ts';
import { assertValidMacroResults } from './schema.ts';
import { renderMacroReport } from '../report/macro.ts';
import { writeFilesAtomic } from '../core/io.ts';

export function writeMacroOutputs(results: MacroStudyResults, outDir: string): string[] {
  const jsonFile = join(outDir, 'MACRO-RESULTS.json');
  assertValidMacroResults(results, `${jsonFile} (not written)`);
  const files: Array<[string, string]> = [
    [join(outDir, 'MACRO-REPORT.md'), renderMacroReport(results)],
    [jsonFile, `${JSON.stringify(results, null, 1)}\n`],
  ];
  writeFilesAtomic(files);
  return files.map(([p]) => p);
}
