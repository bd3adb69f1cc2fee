/**
 * Pools a recorded run's processes again with the harness as it is now (harness/processes.ts): every size's speedup,
 * interval and pooled times recomputed from the rounds its results.json keeps, split by process. Nothing is
 * measured; it is how a change to the pooling statistics is checked against runs already made (as
 * `gate-evidence --regate` re-gates them). A size whose rounds cannot be split by process is left as it was.
 *
 *   npx tsx bench/repool.ts IN/results.json[.gz] OUT/results.json
 * Exit code 0, or 2 on bad input.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../harness/core/config.ts';
import { writeFileAtomic } from '../harness/core/io.ts';
import type { RunResults, SizeResult, VariantStats } from '../harness/core/types.ts';
import { assertValidResults, loadResults, upgradeResults } from '../harness/schema.ts';
import { poolProcesses } from '../harness/processes.ts';
import { processBlocks } from '../harness/report/aggregate.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: repool IN/results.json[.gz] OUT/results.json');
  process.exit(2);
}

/** loadResults, for a gzipped file too (validated and upgraded the same way, without a temporary copy). */
function load(file: string): RunResults {
  if (!file.endsWith('.gz')) return loadResults(file);
  const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as unknown;
  assertValidResults(doc, file);
  return upgradeResults(doc);
}

/** One process's share of a pooled variant: its own rounds, the rest as recorded for the size. */
function processVariant(v: VariantStats, samplesMs: readonly number[]): VariantStats {
  return { ...v, samplesMs: [...samplesMs] };
}

/** The size as its processes measured it, one result each; undefined when its rounds cannot be split. */
function splitProcesses(r: SizeResult): SizeResult[] | undefined {
  if (r.status !== 'ok' || !r.unfused || !r.fused || (r.processes?.length ?? 0) < 2) return undefined;
  const blocks = processBlocks(r);
  if (blocks.length < 2) return undefined;
  return blocks.map((b) => ({
    ...r,
    unfused: processVariant(r.unfused!, b.a),
    fused: processVariant(r.fused!, b.b),
    stoppedBy: r.stoppedBy === 'budget' ? 'budget' : 'rounds',
  }));
}

let results: RunResults;
try {
  results = load(input);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const config = await loadConfig();
let repooled = 0;
const patterns = results.patterns.map((p) => ({
  ...p,
  results: p.results.map((r) => {
    const split = splitProcesses(r);
    if (!split) return r;
    repooled++;
    // The run's own resample count; what a process measured beyond its rounds (latency, device time, kernels)
    // stays as the run recorded it for the size.
    return poolProcesses(split, { config: { ...config, sampling: { ...config.sampling, bootstrapResamples: results.sampling.bootstrap } } });
  }),
}));
writeFileAtomic(output, `${JSON.stringify({ ...results, patterns }, null, 2)}\n`);
console.log(`${repooled} sizes pooled again from their processes → ${output}`);
