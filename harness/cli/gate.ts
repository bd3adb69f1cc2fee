/**
 * `fusebench gate --baseline B --current C [--max-regression 5%] [--alpha 0.05] [--times auto|off] [--comment out.md]`
 * Exit 0: pass. 1: a regression, a `✗ Incorrect` size, a failed size, or a speedup below a declared minimum.
 * 2: unusable input (bad flag, missing file, schema violation: the message names the JSON path).
 */
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { gateInputExitCode, gateOptions } from '../gate/options.ts';
import { runGate } from '../gate/run.ts';
import { summaryLine } from '../gate/render.ts';

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
    const text = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
    const options = await gateOptions({
      maxRegression: [text(values['max-regression']), '--max-regression'],
      alpha: [text(values.alpha), '--alpha'],
      times: [text(values.times), '--times'],
    });
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
    return gateInputExitCode(e);
  }
}
