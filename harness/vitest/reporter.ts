/**
 * vitest reporter (main process): when the bench run ends, assembles the workers' partial results into one
 * RunResults, writes reports/latest/ and, if FUSEBENCH_BASELINE is set, gates.
 */
import { resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { RunResults } from '../core/types.ts';
import { clearPartials, readPartials } from './partial.ts';
import { loadConfig } from '../core/config.ts';
import { machineInfo } from '../machine.ts';
import { samplingRecord } from '../run.ts';
import { writeRunOutputs } from '../output.ts';
import { readEnv, withCache } from '../env.ts';

export default class FusebenchReporter implements Reporter {
  onInit(): void {
    clearPartials();
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const partials = readPartials();
    const env = readEnv();
    // The workers only see one file each, so unknown names in FUSEBENCH_PATTERNS are caught here.
    const unknown = (env.patterns ?? '').split(',').map((w) => w.trim())
      .filter((w) => w !== '' && w !== 'all' && !partials.some((p) => p.pattern.id === w || p.pattern.family === w));
    if (unknown.length > 0) {
      console.error(`fusebench: FUSEBENCH_PATTERNS: no pattern or family ${unknown.map((w) => `"${w}"`).join(', ')} in the suites that ran`);
      process.exitCode = 2;
    }
    if (partials.length === 0) return;
    const config = withCache(await loadConfig(), env.cache);
    const quick = partials[0].quick;
    const results: RunResults = {
      schema: 'fusebench/results@1',
      createdAt: new Date().toISOString(),
      command: `vitest bench --run${env.quick ? ' (FUSEBENCH_QUICK=1)' : ''}${env.backends ? ` (FUSEBENCH_BACKENDS=${env.backends.join(',')})` : ''}${env.patterns ? ` (FUSEBENCH_PATTERNS=${env.patterns})` : ''}`,
      quick,
      machine: machineInfo(),
      sampling: samplingRecord(config, quick),
      backends: mergeBackends(partials.map((p) => p.backends)),
      patterns: partials.map((p) => p.pattern),
    };
    const outDir = resolve(env.out ?? 'reports/latest');
    try {
      const written = writeRunOutputs(results, outDir);
      console.log(`\nfusebench: wrote ${written.length} file(s) to ${outDir}`);
    } catch (e) {
      console.error(`fusebench: could not write reports: ${(e as Error).message}`);
      process.exitCode = 1;
      return;
    }
    if (process.env.FUSEBENCH_BASELINE) {
      const { gateFromEnv } = await import('../gate/env.ts');
      const code = await gateFromEnv(results);
      if (code !== 0) process.exitCode = code;
    }
  }
}

/** Backends as seen by the workers; a device description from any worker wins. */
function mergeBackends(lists: ReadonlyArray<RunResults['backends']>): RunResults['backends'] {
  const byName = new Map<string, RunResults['backends'][number]>();
  for (const list of lists) {
    for (const b of list) {
      const prev = byName.get(b.name);
      if (!prev || (!prev.device && b.device)) byName.set(b.name, b);
    }
  }
  return [...byName.values()];
}
