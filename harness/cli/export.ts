/**
 * `fusebench export --from results.json --format github-action-benchmark|bencher [--out FILE]`
 * github-action-benchmark: `customSmallerIsBetter` JSON. bencher: Bencher Metric Format (BMF) JSON.
 * Without --out the JSON goes to stdout. Exit 2 on unusable input or a bad flag.
 */
import { resolve } from 'node:path';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/io.ts';
import { GateInputError, loadCurrentResults } from '../gate/validate.ts';
import { toCustomSmallerIsBetter } from '../export/github-action-benchmark.ts';
import { toBencherBmf } from '../export/bencher.ts';

const FORMATS = ['github-action-benchmark', 'bencher'] as const;
const USAGE = `usage: fusebench export --from results.json --format ${FORMATS.join('|')} [--out FILE]`;

export async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseFlags(argv, {
      from: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    }, false);
    if (typeof values.from !== 'string') throw new UsageError(`--from is required\n${USAGE}`);
    const format = values.format;
    if (typeof format !== 'string') throw new UsageError(`--format is required\n${USAGE}`);
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
    const results = loadCurrentResults(values.from);
    const exported = format === 'bencher' ? toBencherBmf(results) : toCustomSmallerIsBetter(results);
    const json = 'bmf' in exported ? exported.bmf : exported.entries;
    const count = Object.keys(json).length;
    const skipped = exported.skipped;
    for (const s of skipped) console.warn(`fusebench export: left out ${s}`);
    const text = `${JSON.stringify(json, null, 2)}\n`;
    if (typeof values.out === 'string') {
      writeFileAtomic(resolve(values.out), text);
      console.error(`fusebench export: wrote ${values.out} (${format}, ${count} ${format === 'bencher' ? 'benchmarks' : 'entries'})`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } catch (e) {
    if (e instanceof GateInputError || e instanceof UsageError) {
      console.error(`fusebench export: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
