/** A small, strict flag parser: unknown flags and missing values are errors that name the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { UsageError } from '../core/errors.ts';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags(argv: string[], options: FlagSpec, allowPositionals = true): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
