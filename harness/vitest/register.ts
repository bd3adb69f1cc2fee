/**
 * The vitest front end (a setup file of the bench project): every suite and pipeline a bench file declares
 * becomes a `describe`, and each backend × size of the run's plan a `test` that
 *   1. opens the item (inputs, the float64 check, tf.profile),
 *   2. runs `bench.compare(…)` of all its variants through fusebench's benchmark provider (interleaved, fenced):
 *      unfused and fused for a suite; for a pipeline also each stage alone, each fused kernel and its copy yardstick,
 *   3. for a suite, pools it with the same size measured in fresh worker processes before the suite's tests ran
 *      (beforeAll: process-level repetition, as `fusebench run` does; a pipeline is measured in this process only),
 *      and leaves the result on the task (task.meta) for the reporter, and
 *   4. asserts: a size that failed, a result outside tolerance, or a speedup below the suite's minSpeedup fails the
 *      test, with the figures in the message.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { BackendKind, BackendStatus, SizeResult } from '../core/types.ts';
import { setFrontEnd } from '../core/declare.ts';
import { loadConfig } from '../core/config.ts';
import { readEnv, withCache } from '../env.ts';
import { matchesSelector } from '../select.ts';
import { itemName, measureItem, planRun, resolveBackends, startBackend, type ActiveBackend, type Declared, type PlannedItem, type PlannedSize } from '../run.ts';
import { toleranceFor, type Sampling } from '../measure.ts';
import { patternHeader, pipelineHeader } from '../results.ts';
import { machineInfo } from '../machine.ts';
import { measurePasses, perProcessConfig, processesFor } from '../passes.ts';
import { poolProcesses } from '../processes.ts';
import { measuredBy } from './context.ts';
import { failureMessage } from './failure.ts';
import type {} from './meta.ts';

const env = readEnv();
const config = withCache(await loadConfig(), env.cache);
const statuses: BackendStatus[] = await resolveBackends(env.backends);
const machine = machineInfo();
const started = new Map<string, Promise<ActiveBackend | BackendStatus>>();

/** Activates a backend once per worker; later tests re-select it as tfjs's active backend. */
async function activate(status: BackendStatus): Promise<ActiveBackend | BackendStatus> {
  let p = started.get(status.name);
  if (!p) started.set(status.name, (p = startBackend(status, config, (line) => console.log(line))));
  const s = await p;
  if ('adapter' in s) await s.adapter.init();
  return s;
}

const key = (backend: string, label: string): string => `${backend}|${label}`;

/** One vitest test per planned item: the item measured through bench.compare and the provider, its result on the task. */
function declareItem(item: PlannedItem, fromWorkers: ReadonlyMap<string, SizeResult[]>): void {
  const status = statuses.find((s) => s.name === item.backend)!;
  const { id, size } = itemName(item);
  test(`${item.backend} · ${size}`, async ({ bench, task }) => {
    const active = await activate(status);
    if (!('adapter' in active)) throw new Error(`backend ${status.name}: ${active.reason ?? 'unavailable'}`);
    const adapter = active.adapter;
    const sample: Sampling = (s) => measuredBy({ device: adapter, plan: s.plan }, () =>
      bench.compare(...s.names.map((name, i) => bench(name, s.calls[i]!))));
    // A suite's size shares its time budget with its worker processes; a pipeline is measured in this process only.
    const itemConfig = item.kind === 'suite' ? perProcessConfig(config, processesFor(status.kind, config, env.quick)) : config;
    const m = await measureItem(item, adapter, { config: itemConfig, quick: env.quick }, sample);
    const common = { backend: active.status, backends: statuses, machine, quick: env.quick };
    let result = m.result;
    if (m.kind === 'suite' && item.kind === 'suite') {
      const pooled = poolProcesses([m.result, ...(fromWorkers.get(key(item.backend, size)) ?? [])], { config });
      result = pooled;
      task.meta.fusebench = { ...common, pattern: patternHeader(item.suite), result: pooled };
    }
    if (m.kind === 'pipeline' && item.kind === 'pipeline') task.meta.fusebenchPipeline = { ...common, pipeline: pipelineHeader(item.pipeline), result: m.result };
    const spec = item.kind === 'suite' ? item.suite.spec : item.pipeline.spec;
    const failure = failureMessage(id, result, toleranceFor(spec, result.params, config));
    if (failure) expect.fail(failure);
    const min = item.kind === 'suite' ? item.suite.spec.minSpeedup?.[item.backend] : undefined;
    if (min !== undefined) {
      expect(result.speedup!.ratio, `${id} at ${result.size} on ${item.backend}: speedup ${result.speedup!.ratio.toFixed(3)}× is below the suite's minSpeedup ${min}×`).toBeGreaterThanOrEqual(min);
    }
  });
}

/** A suite's or pipeline's describe: one test per planned item, or one that records the declaration when it is not selected. */
function declare(id: string, family: string, declared: Declared): void {
  if (!matchesSelector({ id, family }, env.patterns)) {
    // Still one test: a bench file with none fails the run, and the reporter learns which ids and families exist.
    describe(id, () => {
      test('not selected by FUSEBENCH_PATTERNS', ({ task }) => {
        task.meta.fusebenchDeclared = { id, family };
      });
    });
    return;
  }
  describe(id, () => {
    // A suite's sizes in fresh worker processes first (all processes but this one, which each test adds).
    const fromWorkers = new Map<string, SizeResult[]>();
    beforeAll(async () => {
      // One worker per pass serves every backend's sizes of this file.
      const items = planRun({ suites: declared.suites }, statuses, env.quick).filter((i): i is PlannedSize => i.kind === 'suite');
      if (items.length === 0) return;
      const kindOf = (b: string): BackendKind => statuses.find((s) => s.name === b)!.kind;
      const { runs } = await measurePasses(items, { kindOf, config, quick: env.quick, fewer: 1 });
      items.forEach((it, i) => fromWorkers.set(key(it.backend, it.suite.spec.label(it.params)), runs[i]!));
    });
    const plan = planRun(declared, statuses, env.quick);
    for (const item of plan) declareItem(item, fromWorkers);
    if (plan.length === 0) test.skip(`no available backend among ${statuses.map((s) => s.name).join(', ') || 'the selection'}`, () => {});
  });
}

setFrontEnd({
  suite: (suite) => declare(suite.spec.id, suite.spec.family, { suites: [suite] }),
  pipeline: (pipeline) => declare(pipeline.spec.id, pipeline.spec.family, { suites: [], pipelines: [pipeline] }),
});
