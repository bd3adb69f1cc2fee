/**
 * What a finished run means for its exit code, the same for `fusebench run` and `vitest bench`:
 *   0  everything ran, every fused result is correct, nothing failed;
 *   1  the run completed but something failed the user: an incorrect fused result (a suite's or a pipeline's), a
 *      failed size, a speedup below the suite's minSpeedup (a gate regression is the gate's own 1);
 *   2  unusable input (decided before anything runs: see UsageError).
 */
import type { RunResults } from './core/types.ts';

export interface RunOutcome {
  readonly code: 0 | 1;
  /** One line per problem, naming the pattern, backend and size. */
  readonly problems: readonly string[];
}

export function runOutcome(results: RunResults): RunOutcome {
  const problems: string[] = [];
  for (const p of results.patterns) {
    for (const r of p.results) {
      const where = `${p.id} at ${r.size} on ${r.backend}`;
      if (r.status !== 'ok') {
        problems.push(`${where} failed: ${r.error ?? 'no message'}`);
        continue;
      }
      if (r.correctness && !r.correctness.fused.ok) {
        problems.push(`${where}: the fused result is wrong (max abs error ${r.correctness.fused.maxAbs.toExponential(2)}, max rel ${r.correctness.fused.maxRel.toExponential(2)})`);
      }
      const min = p.minSpeedup?.[r.backend];
      if (min !== undefined && r.speedup && r.speedup.ratio < min) {
        problems.push(`${where}: speedup ${r.speedup.ratio.toFixed(3)}× is below the suite's minSpeedup ${min}×`);
      }
    }
  }
  for (const p of results.pipelines ?? []) {
    for (const r of p.results) {
      const where = `${p.id} at ${r.size} on ${r.backend}`;
      if (r.status !== 'ok') problems.push(`${where} failed: ${r.error ?? 'no message'}`);
      else if (r.correctness && !(r.correctness.fused.ok && r.correctness.unfused.ok)) {
        const which = r.correctness.fused.ok ? 'unfused' : 'fused';
        problems.push(`${where}: the ${which} pipeline's result is wrong (max abs error ${r.correctness[which].maxAbs.toExponential(2)})`);
      }
    }
  }
  return { code: problems.length ? 1 : 0, problems };
}
