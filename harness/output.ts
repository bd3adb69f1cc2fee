/**
 * Writes a run's outputs into one folder: REPORT.md, results.json, calibration-<backend>.json and, when the run
 * measured pipelines, MACRO-REPORT.md. Everything is rendered and validated first, then renamed into place
 * together, so a failed run leaves the previous reports untouched.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from './core/types.ts';
import { renderReport } from './report/markdown.ts';
import { assertValidResults } from './schema.ts';
import { profileFromResults } from './calibration/profile.ts';
import { writeFilesAtomic } from './core/io.ts';
import { renderRoofline } from './report/roofline.ts';
import { renderMacroReport, type MacroReportOptions } from './report/macro.ts';
import type { Roofs } from './core/ceilings.ts';

export interface OutputOptions {
  /** Hardware name for calibration profiles; defaults to the CPU model or GPU name. */
  readonly hardware?: string;
  /** Sections rendered from data beyond RunResults (e.g. the PyTorch side-by-side), placed before the appendix. */
  readonly extraSections?: readonly string[];
  /** A study's wording and extra sections for MACRO-REPORT.md (see MacroReportOptions). */
  readonly macro?: MacroReportOptions;
  /** Extra files to write in the same atomic batch, by name inside outDir. */
  readonly extraFiles?: ReadonlyArray<readonly [name: string, content: string]>;
}

export function writeRunOutputs(results: RunResults, outDir: string, opts: OutputOptions = {}): string[] {
  assertValidResults(results, 'results.json');
  const roofs: Record<string, Roofs> = {};
  for (const b of results.backends) {
    if (!b.ceilings) continue;
    const c = b.ceilings.kernel ?? b.ceilings;
    roofs[b.name] = { gflops: c.matmul_gflops, gbps: c.bandwidth_gbps };
  }
  const pipelines = results.pipelines ?? [];
  const macroPointer = pipelines.length
    ? ['## Macro pipelines', '', `This run also measured ${pipelines.length} pipeline(s) end to end (${pipelines.map((p) => `\`${p.id}\``).join(', ')}): see MACRO-REPORT.md beside this file.`].join('\n')
    : '';
  const extraSections = [macroPointer, ...(opts.extraSections ?? []), ...(Object.keys(roofs).length ? [renderRoofline(results, roofs)] : [])];
  const files: Array<[string, string]> = [
    [join(outDir, 'REPORT.md'), renderReport(results, { extraSections })],
    [join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`],
  ];
  const macro = renderMacroReport(results, opts.macro);
  if (macro !== undefined) files.push([join(outDir, 'MACRO-REPORT.md'), `${macro}\n`]);
  for (const b of results.backends) {
    if (!b.available) continue;
    const profile = profileFromResults(results, b.name, { ...(opts.hardware ? { hardware: opts.hardware } : {}), ...(b.ceilings ? { ceilings: b.ceilings } : {}) });
    files.push([join(outDir, `calibration-${b.name}.json`), `${JSON.stringify(profile, null, 2)}\n`]);
  }
  for (const [name, content] of opts.extraFiles ?? []) files.push([join(outDir, name), content]);
  writeFilesAtomic(files);
  // A MACRO-REPORT.md left by an earlier run in this folder would not describe this run.
  const staleMacro = join(outDir, 'MACRO-REPORT.md');
  if (macro === undefined && existsSync(staleMacro)) rmSync(staleMacro);
  return files.map(([p]) => p);
}
