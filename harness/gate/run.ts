/**
 * One gate run, shared by `fusebench gate`, `fusebench run` and the vitest reporter: load and check the
 * inputs, decide, print the table, write the comment if asked. Input faults throw `GateInputError`.
 */
import { resolve } from 'node:path';
import type { RunResults } from '../core/types.ts';
import { writeFileAtomic } from '../core/io.ts';
import { evaluateGate } from './decide.ts';
import { renderGateMarkdown } from './render.ts';
import type { GateOptions, GateReport } from './types.ts';
import { assertCurrentResults, loadBaseline, loadCurrentResults } from './validate.ts';

export interface GateRunRequest {
  readonly baselineFile: string;
  /** A results.json path, or a run already in memory (vitest, `fusebench run`). */
  readonly current: string | { readonly results: RunResults; readonly name: string };
  readonly options: GateOptions;
  /** Where to write the pull-request comment (Markdown), if anywhere. */
  readonly commentFile?: string;
  readonly log?: (text: string) => void;
}

export function runGate(req: GateRunRequest): GateReport {
  const baseline = loadBaseline(req.baselineFile);
  let current: RunResults;
  let currentName: string;
  if (typeof req.current === 'string') {
    current = loadCurrentResults(req.current);
    currentName = req.current;
  } else {
    assertCurrentResults(req.current.results, req.current.name);
    current = req.current.results;
    currentName = req.current.name;
  }
  const report = evaluateGate({ baseline, baselineName: req.baselineFile, current, currentName }, req.options);
  (req.log ?? ((t: string) => console.log(t)))(renderGateMarkdown(report));
  if (req.commentFile) writeFileAtomic(resolve(req.commentFile), renderGateMarkdown(report, { marker: true }));
  return report;
}
