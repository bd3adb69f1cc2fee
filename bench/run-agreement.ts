/**
 * How well two runs agree: for every pattern × backend × size present (and ok) in both results.json files, the
 * relative difference of the two speedups (ratio of medians), counted at sizes where every median call of both
 * runs takes at least --min-ms (default 1 ms). The target for two back-to-back quick runs on the 2-core
 * VM is every such size within --tolerance (default 5 %). It also counts, over every size ok in both runs whatever
 * its time, how often each run's 95% CI covers the other run's point estimate (the second target: ≥ 90%),
 * and whether the intervals are calibrated: the share of sizes whose two log estimates differ by less than 1.96
 * combined standard errors (each read off its interval as half-width ÷ 1.96), 95% for calibrated 95% intervals.
 * Calibrated intervals cover the other run's estimate less often than that: its own noise adds to the
 * difference, so for two equally precise runs the expected share is P(|Z| < 1.96 / √2) = 83%.
 *   npx tsx bench/run-agreement.ts A/results.json B/results.json [--min-ms 1] [--tolerance 0.05]
 * Exit code 0 when every counted size agrees, 1 otherwise, 2 on bad input.
 */
import { parseArgs } from 'node:util';
import { loadResults } from '../harness/schema.ts';
import type { Interval, RunResults, VariantStats } from '../harness/core/types.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'min-ms': { type: 'string', default: '1' }, tolerance: { type: 'string', default: '0.05' } },
});
const minMs = Number(values['min-ms']);
const tolerance = Number(values.tolerance);
if (positionals.length !== 2 || !(minMs >= 0) || !(tolerance > 0)) {
  console.error('usage: run-agreement A/results.json B/results.json [--min-ms 1] [--tolerance 0.05] (--min-ms ≥ 0, --tolerance > 0)');
  process.exit(2);
}

interface Ok {
  readonly unfused: VariantStats;
  readonly fused: VariantStats;
  readonly speedup: Interval;
}
function okSizes(r: RunResults): Map<string, Ok> {
  const out = new Map<string, Ok>();
  for (const p of r.patterns) {
    for (const s of p.results) {
      if (s.status === 'ok' && s.unfused && s.fused && s.speedup) out.set(`${p.id} · ${s.backend} · ${s.size}`, { unfused: s.unfused, fused: s.fused, speedup: s.speedup });
    }
  }
  return out;
}

let a: Map<string, Ok>, b: Map<string, Ok>;
try {
  [a, b] = [okSizes(loadResults(positionals[0]!)), okSizes(loadResults(positionals[1]!))];
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
let counted = 0;
const misses: string[] = [];
for (const [key, x] of a) {
  const y = b.get(key);
  if (!y) continue;
  if (Math.min(x.unfused.throughputMs, x.fused.throughputMs, y.unfused.throughputMs, y.fused.throughputMs) < minMs) continue;
  counted++;
  const diff = Math.abs(x.speedup.ratio / y.speedup.ratio - 1);
  if (diff > tolerance) {
    misses.push(`  ${key}: ${x.speedup.ratio.toFixed(2)}× vs ${y.speedup.ratio.toFixed(2)}× (${(diff * 100).toFixed(1)} %; medians ${x.unfused.throughputMs.toFixed(2)} → ${x.fused.throughputMs.toFixed(2)} ms vs ${y.unfused.throughputMs.toFixed(2)} → ${y.fused.throughputMs.toFixed(2)} ms)`);
  }
}
// CI coverage, both ways, at every size ok in both runs.
let pairs = 0, coveredAB = 0, coveredBA = 0, calibrated = 0;
const logSe = (s: Interval): number => (Math.log(s.hi) - Math.log(s.lo)) / 2 / 1.96;
const uncovered: string[] = [];
for (const [key, x] of a) {
  const y = b.get(key);
  if (!y) continue;
  pairs++;
  const ab = x.speedup.lo <= y.speedup.ratio && y.speedup.ratio <= x.speedup.hi;
  const ba = y.speedup.lo <= x.speedup.ratio && x.speedup.ratio <= y.speedup.hi;
  if (Math.abs(Math.log(x.speedup.ratio / y.speedup.ratio)) < 1.96 * Math.hypot(logSe(x.speedup), logSe(y.speedup))) calibrated++;
  if (ab) coveredAB++;
  if (ba) coveredBA++;
  if (!ab || !ba) uncovered.push(`  ${key}: ${x.speedup.ratio.toFixed(3)}× [${x.speedup.lo.toFixed(3)}, ${x.speedup.hi.toFixed(3)}] vs ${y.speedup.ratio.toFixed(3)}× [${y.speedup.lo.toFixed(3)}, ${y.speedup.hi.toFixed(3)}]`);
}
const pct = (n: number): string => (pairs ? (100 * n / pairs).toFixed(1) : '0');
console.log(`${counted - misses.length} of ${counted} sizes (every median call ≥ ${minMs} ms in both runs) agree within ${(tolerance * 100).toFixed(1)} %`);
console.log(`CI coverage over the ${pairs} sizes ok in both runs: A's CI covers B's estimate at ${coveredAB} (${pct(coveredAB)} %), B's covers A's at ${coveredBA} (${pct(coveredBA)} %); 83 % expected of calibrated 95% CIs`);
console.log(`calibration: the two estimates differ by less than 1.96 combined standard errors at ${calibrated} (${pct(calibrated)} %; 95 % expected)`);
if (process.env.AGREEMENT_VERBOSE) console.log(`not covered both ways:\n${uncovered.join('\n')}`);
if (misses.length) console.log(`outside:\n${misses.join('\n')}`);
process.exit(misses.length ? 1 : 0);
