/**
 * The gate for front ends that run the benchmarks themselves (`npx vitest bench --run`, `fusebench run`):
 *
 *   FUSEBENCH_BASELINE=baseline.json         gate this run against that baseline (unset: no gate, exit 0)
 *   FUSEBENCH_MAX_REGRESSION=5%              threshold (default: config gate.maxRegression)
 *   FUSEBENCH_ALPHA=0.05                     significance level (default: config gate.alpha)
 *   FUSEBENCH_GATE_TIMES=auto|off            compare fused times where comparable (default), or never
 *   FUSEBENCH_GATE_COMMENT=gate.md           also write the pull-request comment there
 *
 * Returns the exit code the front end should end with: 0 pass, 1 fail, 2 unusable baseline or setting.
 */
import type { RunResults } from '../types.ts';
import { loadConfig } from '../config.ts';
import { UsageError } from '../cli/args.ts';
import { parseAlpha, parseThreshold, parseTimes } from './options.ts';
import { runGate } from './run.ts';
import { summaryLine } from './render.ts';
import { GateInputError } from './validate.ts';

export async function gateFromEnv(results: RunResults, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const baselineFile = env.FUSEBENCH_BASELINE;
  if (baselineFile === undefined || baselineFile.trim() === '') return 0;
  try {
    const defaults = (await loadConfig()).gate;
    const options = {
      maxRegression: env.FUSEBENCH_MAX_REGRESSION ? parseThreshold(env.FUSEBENCH_MAX_REGRESSION, 'FUSEBENCH_MAX_REGRESSION') : defaults.maxRegression,
      alpha: env.FUSEBENCH_ALPHA ? parseAlpha(env.FUSEBENCH_ALPHA, 'FUSEBENCH_ALPHA') : defaults.alpha,
      times: env.FUSEBENCH_GATE_TIMES ? parseTimes(env.FUSEBENCH_GATE_TIMES, 'FUSEBENCH_GATE_TIMES') : 'auto' as const,
    };
    console.log(`\nfusebench gate: comparing this run with FUSEBENCH_BASELINE=${baselineFile}\n`);
    const report = runGate({
      baselineFile,
      current: { results, name: 'this run' },
      options,
      ...(env.FUSEBENCH_GATE_COMMENT ? { commentFile: env.FUSEBENCH_GATE_COMMENT } : {}),
    });
    console.log(`fusebench gate: ${summaryLine(report)} (exit ${report.exitCode})`);
    return report.exitCode;
  } catch (e) {
    if (e instanceof GateInputError || e instanceof UsageError) {
      console.error(`fusebench gate: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
