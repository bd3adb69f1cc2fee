/**
 * `fusebench gate --baseline B --current C [--max-regression 5%] [--alpha 0.05] [--times auto|off] [--comment out.md]`
 * Exit 0: pass. 1: a regression, a `✗ Incorrect` size, a failed size, or a speedup below a declared minimum.
 * 2: unusable input (bad flag, missing file, schema violation: the message names the JSON path).
 */
import { parseFlags, UsageError } from './args.ts';
import { loadConfig } from '../config.ts';
import { parseAlpha, parseThreshold, parseTimes } from '../gate/options.ts';
import { runGate } from '../gate/run.ts';
import { summaryLine } from '../gate/render.ts';
import { GateInputError } from '../gate/validate.ts';

const USAGE = 'usage: fusebench gate --baseline B --current C [--max-regression 5%] [--alpha 0.05] [--times auto|off] [--comment out.md]';

export async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseFlags(argv, {
      baseline: { type: 'string' },
      current: { type: 'string' },
      'max-regression': { type: 'string' },
      alpha: { type: 'string' },
      times: { type: 'string' },
      comment: { type: 'string' },
    }, false);
    if (typeof values.baseline !== 'string') throw new UsageError(`--baseline is required\n${USAGE}`);
    if (typeof values.current !== 'string') throw new UsageError(`--current is required\n${USAGE}`);
    const defaults = (await loadConfig()).gate;
    const options = {
      maxRegression: typeof values['max-regression'] === 'string' ? parseThreshold(values['max-regression'], '--max-regression') : defaults.maxRegression,
      alpha: typeof values.alpha === 'string' ? parseAlpha(values.alpha, '--alpha') : defaults.alpha,
      times: typeof values.times === 'string' ? parseTimes(values.times, '--times') : 'auto' as const,
    };
    const report = runGate({
      baselineFile: values.baseline,
      current: values.current,
      options,
      ...(typeof values.comment === 'string' ? { commentFile: values.comment } : {}),
    });
    if (typeof values.comment === 'string') console.log(`wrote ${values.comment}`);
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
