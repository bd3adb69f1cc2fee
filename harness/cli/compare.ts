/** `fusebench compare A.json B.json [--out FILE]`: two calibration profiles side by side, in Markdown. */
import { resolve } from 'node:path';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { loadCalibration } from '../calibration/load.ts';
import { CalibrationFormatError } from '../calibration/validate.ts';
import { renderComparison } from '../calibration/compare.ts';
import { loadConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/io.ts';

export const COMPARE_USAGE = 'usage: fusebench compare A.json B.json [--out FILE]\n\n' +
  '  Prints (or writes to FILE, atomically) each pattern\'s measured speedup and fuse/avoid decision on each profile.';

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (values.help === true) {
      console.log(COMPARE_USAGE);
      return 0;
    }
    if (positionals.length !== 2) throw new UsageError(`expected two profiles, got ${positionals.length}`);
    const [a, b] = positionals.map((p) => loadCalibration(p));
    const config = await loadConfig();
    const markdown = renderComparison(a, b, { threshold: config.fuseThreshold });
    if (typeof values.out === 'string') {
      const out = resolve(values.out);
      writeFileAtomic(out, markdown);
      console.log(`wrote ${out}`);
    } else {
      process.stdout.write(markdown);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof CalibrationFormatError) {
      console.error(`fusebench compare: ${e.message}${e instanceof UsageError ? `\n\n${COMPARE_USAGE}` : ''}`);
      return 2;
    }
    throw e;
  }
}
