/**
 * Writes a run's outputs into one folder: REPORT.md (the decision), DETAILS.md (every per-size figure),
 * results.json, calibration-<backend>.json and, when the run measured pipelines, MACRO-REPORT.md. Everything is
 * rendered and validated first, then renamed into place together, so a failed run leaves the previous files
 * untouched. `fusebench render` uses the same writer for the reports alone.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from './core/types.ts';
import type { FusebenchConfig } from './core/config.ts';
import { renderDetails, renderReport } from './report/markdown.ts';
import { assertValidResults } from './schema.ts';
import { profileFromResults } from './calibration/profile.ts';
import { writeFilesAtomic } from './core/io.ts';
import { renderRoofline } from './report/roofline.ts';
import { renderMacroReport, type MacroReportOptions } from './report/macro.ts';
import type { Roofs } from './core/ceilings.ts';

export interface ReportOptions {
  /** Thresholds to judge with; default: the config in force. */
  readonly config?: FusebenchConfig;
  /** Sections rendered from data beyond RunResults (e.g. the PyTorch side-by-side): DETAILS.md, linked from REPORT.md. */
  readonly extraSections?: readonly string[];
  /** A study's wording and extra sections for MACRO-REPORT.md (see MacroReportOptions). */
  readonly macro?: MacroReportOptions;
}

export interface OutputOptions extends ReportOptions {
  /** Hardware name for calibration profiles; defaults to the CPU model or GPU name. */
  readonly hardware?: string;
  /** Extra files to write in the same atomic batch, by name inside outDir. */
  readonly extraFiles?: ReadonlyArray<readonly [name: string, content: string]>;
}

/** The roofs measured in the run (`--ceilings`), per backend; kernel-time ceilings where the backend has them. */
function measuredRoofs(results: RunResults): Record<string, Roofs> {
  const roofs: Record<string, Roofs> = {};
  for (const b of results.backends) {
    if (!b.ceilings) continue;
    const c = b.ceilings.kernel ?? b.ceilings;
    roofs[b.name] = { gflops: c.matmul_gflops, gbps: c.bandwidth_gbps };
  }
  return roofs;
}

/** REPORT.md, DETAILS.md and (when the run has pipelines) MACRO-REPORT.md for `outDir`, rendered; nothing written. */
export function reportFiles(results: RunResults, outDir: string, opts: ReportOptions = {}): Array<[string, string]> {
  const roofs = measuredRoofs(results);
  const extraSections = [...(opts.extraSections ?? []), ...(Object.keys(roofs).length ? [renderRoofline(results, roofs)] : [])];
  const render = { extraSections, ...(opts.config ? { config: opts.config } : {}) };
  const files: Array<[string, string]> = [
    [join(outDir, 'REPORT.md'), renderReport(results, render)],
    [join(outDir, 'DETAILS.md'), renderDetails(results, render)],
  ];
  const macro = renderMacroReport(results, { ...opts.macro, ...(opts.config ? { config: opts.config } : {}) });
  if (macro !== undefined) files.push([join(outDir, 'MACRO-REPORT.md'), `${macro}\n`]);
  return files;
}

/** Writes the files together; a MACRO-REPORT.md an earlier run left in the folder goes when this run has none. */
function writeAll(files: ReadonlyArray<readonly [string, string]>, outDir: string): string[] {
  writeFilesAtomic(files);
  const staleMacro = join(outDir, 'MACRO-REPORT.md');
  if (!files.some(([p]) => p === staleMacro) && existsSync(staleMacro)) rmSync(staleMacro);
  return files.map(([p]) => p);
}

export function writeRunOutputs(results: RunResults, outDir: string, opts: OutputOptions = {}): string[] {
  assertValidResults(results, 'results.json');
  const files: Array<[string, string]> = [
    ...reportFiles(results, outDir, opts),
    [join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`],
  ];
  for (const b of results.backends) {
    if (!b.available) continue;
    const profile = profileFromResults(results, b.name, {
      ...(opts.hardware ? { hardware: opts.hardware } : {}), ...(b.ceilings ? { ceilings: b.ceilings } : {}), ...(opts.config ? { config: opts.config } : {}),
    });
    files.push([join(outDir, `calibration-${b.name}.json`), `${JSON.stringify(profile, null, 2)}\n`]);
  }
  for (const [name, content] of opts.extraFiles ?? []) files.push([join(outDir, name), content]);
  return writeAll(files, outDir);
}

/** Re-renders the reports of a stored run into `outDir` through the same atomic writer; results.json is not rewritten. */
export function writeReports(results: RunResults, outDir: string, opts: ReportOptions = {}): string[] {
  return writeAll(reportFiles(results, outDir, opts), outDir);
}
