/**
 * `fusebench render results.json [--config FILE] [--out DIR]`: re-renders a stored run into REPORT.md and DETAILS.md
 * under the thresholds in force (the config file given, else fusebench.config.* / FUSEBENCH_CONFIG, else the
 * defaults), through the same atomic writer as a run. Verdicts are judged now, from the stored statistics; results
 * written by older versions load too (their stored verdict strings are ignored). A torch-reference.json (GPU) or a
 * torch-cpu-reference.json (CPU) beside results.json adds the PyTorch side by side to DETAILS.md. results.json itself
 * is never rewritten.
 * Exit 2 on unusable input: a missing or invalid results.json or torch-reference.json, a bad config, a bad flag.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RunResults } from '../core/types.ts';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { configFrom, loadConfig, type FusebenchConfig } from '../core/config.ts';
import { loadResults } from '../schema.ts';
import { writeReports } from '../output.ts';
import { parseTorchReference, renderTorchComparison } from '../report/torch.ts';
import { closingLines } from '../report/closing.ts';
import { parseTorchCpuReference, renderTorchCpuSection } from '../report/torch-cpu.ts';

const USAGE = 'usage: fusebench render results.json [--config FILE] [--out DIR]';

/** The run, validated and upgraded; any fault is unusable input naming the file. */
function load(file: string): RunResults {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file\n${USAGE}`);
  try {
    return loadResults(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * The PyTorch sections for each GPU backend of the run, from the torch-reference.json beside results.json. A file
 * of the older @2 schema (one call timed between two events) is not comparable with pipelined timing: it is left
 * out with a warning, as bench/gpu.ts would refuse it; any other fault in it is unusable input.
 */
function torchSections(results: RunResults, dir: string): string[] {
  const file = join(dir, 'torch-reference.json');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  let schema: unknown;
  try {
    schema = (JSON.parse(text) as { schema?: unknown }).schema;
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (schema === 'fusebench/torch-reference@2') {
    console.warn(`fusebench render: ${file}: schema fusebench/torch-reference@2 (one call timed between two events) is not comparable with pipelined timing; the PyTorch section is left out`);
    return [];
  }
  let torch;
  try {
    torch = parseTorchReference(text, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return results.backends.filter((b) => b.available && b.kind === 'gpu').map((b) => {
    const c = b.ceilings;
    return renderTorchComparison(results, torch, { gbps: c?.kernel?.bandwidth_gbps ?? c?.bandwidth_gbps ?? 0, gflops: c?.kernel?.matmul_gflops ?? c?.matmul_gflops ?? 0 }, b.name);
  });
}

/** PyTorch on the same CPU (bench/torch-cpu-reference.py), from the torch-cpu-reference.json beside results.json. */
function torchCpuSections(results: RunResults, dir: string): string[] {
  const file = join(dir, 'torch-cpu-reference.json');
  if (!existsSync(file)) return [];
  try {
    return [renderTorchCpuSection(results, parseTorchCpuReference(readFileSync(file, 'utf8'), file))];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { config: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError(`give exactly one results.json (got ${positionals.length})\n${USAGE}`);
  const file = resolve(positionals[0]!);
  const results = load(file);
  const config: FusebenchConfig = typeof values.config === 'string' ? await configFrom(resolve(values.config)) : await loadConfig();
  const outDir = resolve(typeof values.out === 'string' ? values.out : dirname(file));
  const written = writeReports(results, outDir, { config, extraSections: [...torchSections(results, dirname(file)), ...torchCpuSections(results, dirname(file))] });
  console.log(`fusebench render: wrote ${written.join(', ')}`);
  console.log(closingLines(results, outDir, undefined, config)[0]);
  return 0;
}
