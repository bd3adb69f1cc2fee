/**
 * vitest reporter (main process): when the bench run ends, assembles the workers' partial results and the
 * tinybench medians into one RunResults, writes reports/latest/ and, if FUSEBENCH_BASELINE is set, gates.
 */
import { resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { PatternResult, RunResults, SizeResult } from '../core/types.ts';
import { clearPartials, readPartials } from './partial.ts';
import { loadConfig } from '../core/config.ts';
import { machineInfo } from '../machine.ts';
import { samplingRecord } from '../run.ts';
import { writeRunOutputs } from '../output.ts';
import { readEnv } from '../env.ts';

interface RawTask {
  readonly name: string;
  readonly type: string;
  readonly tasks?: readonly RawTask[];
  readonly result?: { readonly benchmark?: { readonly median?: number } };
}

/** `${suiteId}/${backend} · ${size}/${variant}` → tinybench median (ms). */
function collectMedians(tasks: readonly RawTask[], path: string[], out: Map<string, number>): void {
  for (const t of tasks) {
    const here = [...path, t.name];
    const median = t.result?.benchmark?.median;
    if (typeof median === 'number' && t.type !== 'suite') out.set(here.slice(-3).join('/'), median);
    if (t.tasks) collectMedians(t.tasks, here, out);
  }
}

function withTinybench(p: PatternResult, medians: Map<string, number>): PatternResult {
  const results: SizeResult[] = p.results.map((r) => {
    const key = `${p.id}/${r.backend} · ${r.size}`;
    const u = medians.get(`${key}/unfused`);
    const f = medians.get(`${key}/fused`);
    return u !== undefined && f !== undefined ? { ...r, tinybench: { unfusedMedianMs: u, fusedMedianMs: f } } : r;
  });
  return { ...p, results };
}

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
    const config = await loadConfig();
    const medians = new Map<string, number>();
    for (const m of testModules) collectMedians((m as unknown as { task: RawTask }).task.tasks ?? [], [], medians); // the raw task tree carries tinybench results
    const quick = partials[0].quick;
    const results: RunResults = {
      schema: 'fusebench/results@1',
      createdAt: new Date().toISOString(),
      command: `vitest bench --run${env.quick ? ' (FUSEBENCH_QUICK=1)' : ''}${env.backends ? ` (FUSEBENCH_BACKENDS=${env.backends.join(',')})` : ''}${env.patterns ? ` (FUSEBENCH_PATTERNS=${env.patterns})` : ''}`,
      quick,
      machine: machineInfo(),
      sampling: samplingRecord(config, quick),
      backends: mergeBackends(partials.map((p) => p.backends)),
      patterns: partials.map((p) => withTinybench(p.pattern, medians)),
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
