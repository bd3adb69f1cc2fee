/**
 * `fusebench calibrate --hardware NAME [--peak-gflops N] [--peak-bandwidth N]
 *   [--fusion-patterns all|linear,conv,attention|<ids>] [--backend B] [--quick] --output FILE [suite files…]`
 * Measures the backend's ceilings, runs the selected patterns, writes the profile atomically, prints a summary.
 * Exit 2 (with the usage and the valid pattern ids) for a bad flag or pattern; 1 when the backend is unavailable.
 */
import { resolve } from 'node:path';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { loadSuiteFiles } from '../load.ts';
import { loadConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/io.ts';
import { knownBackends } from '../../backends/registry.ts';
import type { RegisteredSuite } from '../core/types.ts';
import { calibrate, BackendUnavailableError } from '../calibration/calibrate.ts';
import { catalogueText, selectPatterns, UnknownPatternError } from '../calibration/patterns.ts';
import { assertValidCalibration } from '../calibration/validate.ts';
import { parseCalibration } from '../calibration/load.ts';
import { renderCalibrationSummary } from '../calibration/summary.ts';
import type { CalibrationProfile } from '../calibration/types.ts';

export const CALIBRATE_USAGE = [
  'usage: fusebench calibrate --hardware NAME --output FILE [options] [suite files…]',
  '',
  '  --hardware NAME          name of the machine or device, stored in the profile (required)',
  '  --output FILE            where to write the calibration profile (required; written atomically)',
  '  --peak-gflops N          datasheet peak GFLOP/s, stored as given (optional)',
  '  --peak-bandwidth N       datasheet peak bandwidth in GB/s, stored as given (optional)',
  '  --fusion-patterns LIST   all (default), family names (linear,conv,attention…) or pattern ids, comma-separated',
  `  --backend B              one of ${knownBackends.join(', ')} (default cpu)`,
  '  --quick                  the suites\' quick sizes and fewer rounds; shorter ceiling probes',
  '',
  'Suite files default to every suites/**/*.bench.ts.',
].join('\n');

const FLAGS = {
  hardware: { type: 'string' },
  output: { type: 'string' },
  'peak-gflops': { type: 'string' },
  'peak-bandwidth': { type: 'string' },
  'fusion-patterns': { type: 'string' },
  backend: { type: 'string' },
  quick: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function positiveNumber(flag: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${flag}: expected a positive number, got "${String(value)}"`);
  }
  return n;
}

function requiredString(flag: string, value: string | boolean | undefined): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${flag} is required`);
  return value;
}

async function suitesForUsage(files: string[]): Promise<RegisteredSuite[]> {
  try {
    return await loadSuiteFiles(files);
  } catch {
    return [];
  }
}

function usageFailure(message: string, suites: readonly RegisteredSuite[]): number {
  console.error(`fusebench calibrate: ${message}\n\n${CALIBRATE_USAGE}\n\n${catalogueText(suites)}`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv, FLAGS);
  } catch (e) {
    const files = argv.filter((a) => a.endsWith('.bench.ts'));
    return usageFailure((e as Error).message, await suitesForUsage(files));
  }
  const { values, positionals } = parsed;
  let suites: RegisteredSuite[];
  try {
    suites = await loadSuiteFiles(positionals);
  } catch (e) {
    return usageFailure(`cannot load suites: ${(e as Error).message}`, []);
  }
  if (values.help === true) {
    console.log(`${CALIBRATE_USAGE}\n\n${catalogueText(suites)}`);
    return 0;
  }
  let selected: RegisteredSuite[];
  let hardware: string;
  let output: string;
  let backend: string;
  let peakGflops: number | undefined;
  let peakBandwidth: number | undefined;
  try {
    hardware = requiredString('hardware', values.hardware);
    output = resolve(requiredString('output', values.output));
    peakGflops = positiveNumber('peak-gflops', values['peak-gflops']);
    peakBandwidth = positiveNumber('peak-bandwidth', values['peak-bandwidth']);
    backend = typeof values.backend === 'string' ? values.backend.trim() : 'cpu';
    if (!knownBackends.includes(backend)) throw new UsageError(`--backend: unknown backend "${backend}"; known backends: ${knownBackends.join(', ')}`);
    if (suites.length === 0) throw new UsageError(positionals.length ? `no suite declared in ${positionals.join(', ')}` : 'no suite files found under suites/');
    selected = selectPatterns(suites, typeof values['fusion-patterns'] === 'string' ? values['fusion-patterns'] : 'all');
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnknownPatternError) return usageFailure(e.message, suites);
    throw e;
  }

  const config = await loadConfig();
  const started = Date.now();
  let profile: CalibrationProfile;
  try {
    profile = await calibrate({
      hardware, backend, suites: selected, quick: values.quick === true, config,
      command: `fusebench calibrate ${argv.join(' ')}`.trim(),
      ...(peakGflops === undefined ? {} : { peakGflops }),
      ...(peakBandwidth === undefined ? {} : { peakBandwidth }),
      onProgress: (line) => console.log(line),
    });
  } catch (e) {
    if (e instanceof BackendUnavailableError) {
      console.error(`fusebench calibrate: ${e.message}`);
      return 1;
    }
    throw e;
  }
  // The profile is checked against its schema before it replaces anything on disk.
  assertValidCalibration(profile, output);
  writeFileAtomic(output, `${JSON.stringify(profile, null, 2)}\n`);
  console.log(`\n${renderCalibrationSummary(parseCalibration(profile, output), config.fuseThreshold)}`);
  console.log(`\n${selected.length} pattern(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${output}`);
  return 0;
}
