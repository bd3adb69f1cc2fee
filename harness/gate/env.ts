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
import type { RunResults } from '../core/types.ts';
import { gateInputExitCode, gateOptions } from './options.ts';
import { runGate } from './run.ts';
import { summaryLine } from './render.ts';

export async function gateFromEnv(results: RunResults, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const baselineFile = env.FUSEBENCH_BASELINE;
  if (baselineFile === undefined || baselineFile.trim() === '') return 0;
  try {
    // An empty variable counts as unset, as FUSEBENCH_BASELINE does.
    const options = await gateOptions({
      maxRegression: [env.FUSEBENCH_MAX_REGRESSION || undefined, 'FUSEBENCH_MAX_REGRESSION'],
      alpha: [env.FUSEBENCH_ALPHA || undefined, 'FUSEBENCH_ALPHA'],
      times: [env.FUSEBENCH_GATE_TIMES || undefined, 'FUSEBENCH_GATE_TIMES'],
    });
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
    return gateInputExitCode(e);
  }
}
