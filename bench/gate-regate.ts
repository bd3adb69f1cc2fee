/**
 * Re-gates the runs recorded by bench/gate-evidence.ts with rotating baselines, to see more A/A and A/B
 * pairs than one experiment gives and to compare gate settings on the same measurements:
 *
 *   npx tsx bench/gate-regate.ts --baseline-runs 3 [--times auto|off] DIR [DIR …]
 *
 * In each DIR, the A/A runs (results-aa-N.json) are cut into consecutive groups of k; each group becomes a
 * baseline; every other A/A run of that DIR is gated against it (any failing row = a false alarm), and so is
 * every A/B run (results-ab-N.json: caught = a Gate_AB_Extra_Work row regressed; any other failing row = a
 * false alarm). Pure arithmetic on recorded rounds: nothing is measured, so settings compare like for like.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../harness/core/types.ts';
import { baselineFromResults } from '../harness/gate/format.ts';
import { evaluateGate } from '../harness/gate/decide.ts';
import { loadConfig } from '../harness/core/config.ts';
import { parseTimes } from '../harness/gate/options.ts';

const AB_SUITE = 'Gate_AB_Extra_Work';

function parse(argv: string[]): { k: number; times: 'auto' | 'off'; dirs: string[] } {
  let k = 1;
  let times: 'auto' | 'off' = 'auto';
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--baseline-runs') k = Number(argv[++i]);
    else if (argv[i] === '--times') times = parseTimes(argv[++i] ?? '', '--times');
    else dirs.push(argv[i]);
  }
  if (!Number.isInteger(k) || k < 1) throw new Error('--baseline-runs must be a positive integer');
  if (dirs.length === 0) throw new Error('usage: npx tsx bench/gate-regate.ts --baseline-runs K [--times auto|off] DIR [DIR …]');
  for (const d of dirs) if (!existsSync(d)) throw new Error(`${d}: no such folder`);
  return { k, times, dirs };
}

const runs = (dir: string, arm: 'aa' | 'ab'): string[] => readdirSync(dir)
  .filter((f) => new RegExp(`^results-${arm}-\\d+\\.json$`).test(f))
  .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));

const { k, times, dirs } = parse(process.argv.slice(2));
const options = { ...(await loadConfig()).gate, times };
const tally = { baselines: 0, aaGates: 0, aaAlarms: 0, abGates: 0, abCaught: 0, abOtherAlarms: 0 };
for (const dir of dirs) {
  const read = (f: string): RunResults => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunResults;
  const aa = runs(dir, 'aa');
  const ab = runs(dir, 'ab');
  for (let start = 0; start + k <= aa.length; start += k) {
    const group = aa.slice(start, start + k);
    const { baseline } = baselineFromResults(group.map((file) => ({ file, results: read(file) })));
    tally.baselines++;
    for (const file of aa.filter((f) => !group.includes(f))) {
      const report = evaluateGate({ baseline, baselineName: group.join('+'), current: read(file), currentName: file }, options);
      tally.aaGates++;
      if (report.exitCode !== 0) tally.aaAlarms++;
    }
    for (const file of ab) {
      const report = evaluateGate({ baseline, baselineName: group.join('+'), current: read(file), currentName: file }, options);
      const failing = report.rows.filter((r) => r.class === 'fail');
      tally.abGates++;
      if (failing.some((r) => r.pattern === AB_SUITE && r.failures.some((f) => f.kind === 'regression'))) tally.abCaught++;
      if (failing.some((r) => r.pattern !== AB_SUITE)) tally.abOtherAlarms++;
    }
  }
}
console.log(`baseline runs ${k}, times ${times}, ${dirs.length} folder(s), ${tally.baselines} baselines:`);
console.log(`  A/A: ${tally.aaAlarms} of ${tally.aaGates} gates raised an alarm`);
console.log(`  A/B: ${AB_SUITE} caught in ${tally.abCaught} of ${tally.abGates} gates; unchanged rows raised an alarm in ${tally.abOtherAlarms}`);
