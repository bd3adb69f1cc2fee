/** `fusebench run`: what `npx vitest bench --run` does, without vitest. */
import { resolve } from 'node:path';
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { loadBenchFiles } from '../load.ts';
import { selectDeclared } from '../select.ts';
import { runSuites } from '../run.ts';
import { writeRunOutputs } from '../output.ts';
import { loadConfig } from '../core/config.ts';
import { parseCache, readEnv, withCache } from '../env.ts';
import { parseBackendList } from '../../backends/registry.ts';
import { runOutcome } from '../outcome.ts';
import { closingLines } from '../report/closing.ts';

export const DEFAULT_OUT = 'reports/latest';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    backends: { type: 'string' },
    patterns: { type: 'string' },
    quick: { type: 'boolean' },
    out: { type: 'string' },
    hardware: { type: 'string' },
    ceilings: { type: 'boolean' },
    cache: { type: 'string' },
  });
  const env = readEnv();
  const backends = typeof values.backends === 'string' ? parseBackendList(values.backends, '--backends') : env.backends;
  const quick = values.quick === true || env.quick;
  const outDir = resolve(typeof values.out === 'string' ? values.out : env.out ?? DEFAULT_OUT);
  const cache = typeof values.cache === 'string' ? parseCache(values.cache, '--cache') : env.cache;
  const config = withCache(await loadConfig(), cache);
  const all = await loadBenchFiles(positionals);
  if (all.suites.length + all.pipelines.length === 0) throw new UsageError(positionals.length ? `no suite or pipeline declared in ${positionals.join(', ')}` : 'no suite files found under suites/');
  const patterns = typeof values.patterns === 'string' ? values.patterns : env.patterns;
  const { suites, pipelines, added } = selectDeclared(all, patterns, typeof values.patterns === 'string' ? '--patterns' : 'FUSEBENCH_PATTERNS');
  if (added.length) console.log(`also measuring ${added.join(', ')}: the micro suite(s) of the selected pipelines, whose speedups feed their Amdahl predictions`);
  const started = Date.now();
  const results = await runSuites({
    suites, pipelines, ...(backends ? { backends, backendsSource: typeof values.backends === 'string' ? '--backends' : 'FUSEBENCH_BACKENDS' } : {}), quick, config,
    ...(values.ceilings === true ? { ceilings: quick ? { budgetMs: 1500 } : {} } : {}),
    command: `fusebench run ${argv.join(' ')}`.trim(),
    onProgress: (line) => console.log(line),
  });
  writeRunOutputs(results, outDir, typeof values.hardware === 'string' ? { hardware: values.hardware } : {});
  console.log(`\n${closingLines(results, outDir, (Date.now() - started) / 1000).join('\n')}`);
  const outcome = runOutcome(results);
  for (const p of outcome.problems) console.error(`fusebench run: ${p}`);
  // FUSEBENCH_BASELINE gates this run exactly as `fusebench gate` would (0 when unset).
  const gate = await (await import('../gate/env.ts')).gateFromEnv(results);
  return Math.max(outcome.code, gate);
}
