/** Parsing the gate's knobs from a flag or an environment variable, with errors that name the source. */
import { UsageError } from '../core/errors.ts';
import { loadConfig } from '../core/config.ts';
import type { GateOptions } from './types.ts';
import { GateInputError } from './validate.ts';

/**
 * `5%` or `0.05` → 0.05. A bare number ≥ 1 (`5`) is refused rather than guessed: 5 could mean 5% or 500%.
 */
export function parseThreshold(text: string, source: string): number {
  const t = text.trim();
  const percent = /^([0-9]+(?:\.[0-9]+)?)\s*%$/.exec(t);
  const value = percent ? Number(percent[1]) / 100 : /^[0-9]*\.?[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${source}: "${text}" is not a threshold; write a percentage such as 5% or a fraction such as 0.05`);
  if (!percent && value >= 1) throw new UsageError(`${source}: "${text}" is ambiguous; write 5% (or 0.05) for five percent`);
  if (!(value > 0 && value < 1)) throw new UsageError(`${source}: "${text}" must lie strictly between 0% and 100%`);
  return value;
}

export function parseAlpha(text: string, source: string): number {
  const t = text.trim();
  const value = /^[0-9]*\.?[0-9]+(?:e-?[0-9]+)?$/i.test(t) ? Number(t) : NaN;
  if (!(value > 0 && value < 1)) throw new UsageError(`${source}: "${text}" must be a significance level strictly between 0 and 1, such as 0.05`);
  return value;
}

export function parseTimes(text: string, source: string): 'auto' | 'off' {
  const t = text.trim().toLowerCase();
  if (t === 'auto' || t === 'off') return t;
  throw new UsageError(`${source}: "${text}" must be auto (compare fused times where they are comparable) or off (speedups only)`);
}

/** One knob as the user gave it (undefined: not given) and the flag or variable it came from. */
type Given = readonly [text: string | undefined, source: string];

/** The gate's options from flags or environment variables; a knob not given takes the config's default. */
export async function gateOptions(given: { readonly maxRegression: Given; readonly alpha: Given; readonly times: Given }): Promise<Required<GateOptions>> {
  const defaults = (await loadConfig()).gate;
  const [regression, regressionSource] = given.maxRegression;
  const [alpha, alphaSource] = given.alpha;
  const [times, timesSource] = given.times;
  return {
    maxRegression: regression !== undefined ? parseThreshold(regression, regressionSource) : defaults.maxRegression,
    alpha: alpha !== undefined ? parseAlpha(alpha, alphaSource) : defaults.alpha,
    times: times !== undefined ? parseTimes(times, timesSource) : 'auto',
  };
}

/** Exit code 2 for unusable gate input (a bad flag or variable, a bad file), said on stderr; anything else rethrown. */
export function gateInputExitCode(e: unknown): number {
  if (e instanceof GateInputError || e instanceof UsageError) {
    console.error(`fusebench gate: ${e.message}`);
    return 2;
  }
  throw e;
}
