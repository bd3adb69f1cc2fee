/**
 * The ternary macro study on fusebench's public API: the Phase 4.1 micro suite and the two ternary pipelines,
 * measured by the one runner, written by the one writer (REPORT.md, results.json, calibration, and MACRO-REPORT.md
 * in the study's wording).
 *
 *   npx tsx studies/ternary/run.ts --backends cpu,wasm [--quick] [--rounds N] [--max-seconds S] --out DIR
 *   npx tsx studies/ternary/run.ts --render-from DIR/results.json --out DIR     (re-render a stored run)
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadBenchFiles, loadConfig, loadResults, runSuites, selectDeclared, writeRunOutputs } from 'fusebench';
import type { FusebenchConfig } from 'fusebench';
import { ternaryStudyReport } from './report.ts';

const { values } = parseArgs({
  options: {
    backends: { type: 'string' }, quick: { type: 'boolean', default: false }, out: { type: 'string' },
    rounds: { type: 'string' }, 'max-seconds': { type: 'string' }, 'render-from': { type: 'string' },
  },
});

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${flag} must be a positive number (got ${v})`);
  return n;
}

async function main(): Promise<void> {
  if (typeof values.out !== 'string') throw new Error('--out DIR is required');
  const outDir = resolve(values.out);
  const base = await loadConfig();
  const rounds = positive('rounds', values.rounds);
  const maxSeconds = positive('max-seconds', values['max-seconds']);
  const config: FusebenchConfig = {
    ...base,
    sampling: { ...base.sampling, ...(rounds ? { rounds, quickRounds: rounds } : {}), ...(maxSeconds ? { maxSecondsPerSize: maxSeconds } : {}) },
  };
  if (values['render-from']) {
    const stored = loadResults(resolve(values['render-from']));
    const files = writeRunOutputs(stored, outDir, { macro: ternaryStudyReport(stored, config) });
    console.log(`wrote ${files.join(', ')}`);
    return;
  }
  const { suites, pipelines } = selectDeclared(await loadBenchFiles(), 'ternary-pipelines', 'the ternary study');
  const results = await runSuites({
    suites, pipelines, quick: values.quick === true, config,
    ...(values.backends ? { backends: values.backends.split(',').map((b) => b.trim()) } : {}),
    command: `npx tsx studies/ternary/run.ts ${process.argv.slice(2).join(' ')}`,
    onProgress: (line) => console.log(line),
  });
  const files = writeRunOutputs(results, outDir, { macro: ternaryStudyReport(results, config) });
  console.log(`wrote ${files.join(', ')}`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
