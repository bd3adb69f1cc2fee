/**
 * `fusebench baseline --from reports/latest/results.json [--from more.json …] --out FILE [--force]`
 * Writes a baseline: the raw rounds of one or more runs of one machine, keyed by pattern × backend × size,
 * plus the machine, atomically. Several runs let the gate test fused time (see harness/gate/run-level.ts).
 * An existing FILE is never replaced without --force. Exit 2 on unusable input or an existing FILE.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { BaselineBuildError, baselineFromResults, type BaselineBuild } from '../gate/format.ts';
import { BaselineExistsError, writeBaselineFile } from '../gate/write.ts';
import { GateInputError, assertBaseline, loadCurrentResults } from '../gate/validate.ts';

const USAGE = 'usage: fusebench baseline --from reports/latest/results.json [--from more.json …] --out FILE [--force]';

function build(files: readonly string[]): BaselineBuild {
  const runs = files.map((file) => ({ file, results: loadCurrentResults(file) }));
  try {
    return baselineFromResults(runs);
  } catch (e) {
    if (e instanceof BaselineBuildError) throw new GateInputError(e.message);
    throw e;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseFlags(argv, {
      from: { type: 'string', multiple: true },
      out: { type: 'string' },
      force: { type: 'boolean' },
    }, false);
    const from = (values.from as unknown as string[] | undefined) ?? [];
    if (from.length === 0) throw new UsageError(`--from is required\n${USAGE}`);
    if (typeof values.out !== 'string') throw new UsageError(`--out is required\n${USAGE}`);
    const out = resolve(values.out);
    const force = values.force === true;
    const exists = (): UsageError => new UsageError(`--out: ${values.out} already exists; a baseline is never overwritten silently. Pass --force to replace it, or choose another file`);
    if (existsSync(out) && !force) throw exists();
    const { baseline, notes, rows } = build(from);
    for (const note of notes) console.warn(`fusebench baseline: ${note}`);
    if (rows === 0) throw new GateInputError(`${from.join(', ')}: no size was measured successfully; there is nothing to keep as a baseline`);
    assertBaseline(JSON.parse(JSON.stringify(baseline)) as unknown, out); // what we write must read back
    try {
      writeBaselineFile(out, `${JSON.stringify(baseline, null, 2)}\n`, force);
    } catch (e) {
      if (e instanceof BaselineExistsError) throw exists();
      throw e;
    }
    console.log(`fusebench baseline: wrote ${values.out} (${rows} row${rows === 1 ? '' : 's'} from ${from.length} run${from.length === 1 ? '' : 's'}: ${from.join(', ')}; machine ${baseline.machine.hostname})`);
    return 0;
  } catch (e) {
    if (e instanceof GateInputError || e instanceof UsageError) {
      console.error(`fusebench baseline: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
