/**
 * The vitest front end (a setup file of the bench project): every suite a bench file declares becomes a
 * `describe`, and each backend × size of the run's plan a `test` that
 *   1. opens the size (inputs, the float64 check, tf.profile),
 *   2. runs `bench.compare(unfused, fused)` through fusebench's benchmark provider (interleaved, fenced),
 *   3. pools it with the same size measured in fresh worker processes before the suite's tests ran (beforeAll:
 *      process-level repetition, as `fusebench run` does), leaves the result on the task (task.meta.fusebench)
 *      for the reporter, and
 *   4. asserts: a size that failed, a fused result outside tolerance, or a speedup below the suite's minSpeedup
 *      fails the test, with the figures in the message.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { BackendStatus, RegisteredSuite, SizeResult } from '../core/types.ts';
import { setFrontEnd } from '../core/suite.ts';
import { loadConfig } from '../core/config.ts';
import { readEnv, withCache } from '../env.ts';
import { matchesSelector } from '../select.ts';
import { planRun, resolveBackends, startBackend, type ActiveBackend } from '../run.ts';
import { failedResult, openSize, toleranceFor } from '../measure.ts';
import { patternHeader } from '../results.ts';
import { machineInfo } from '../machine.ts';
import { measurePasses, perProcessConfig, processesFor } from '../passes.ts';
import { poolProcesses } from '../processes.ts';
import { measuredBy } from './context.ts';
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

function failureMessage(suite: RegisteredSuite, r: SizeResult): string | undefined {
  const where = `${suite.spec.id} at ${r.size} on ${r.backend}`;
  if (r.status !== 'ok') return `${where} failed: ${r.error ?? 'no message'}`;
  const c = r.correctness!;
  if (!c.fused.ok) {
    const tol = toleranceFor(suite.spec, r.params, config);
    return `${where}: the fused result is wrong: max abs error ${c.fused.maxAbs.toExponential(2)} (max rel ${c.fused.maxRel.toExponential(2)}) ` +
      `exceeds the tolerance |got − want| ≤ ${tol.atol} + ${tol.rtol}·|want|`;
  }
  return undefined;
}

function declareSuite(suite: RegisteredSuite): void {
  const header = patternHeader(suite);
  if (!matchesSelector(suite.spec, env.patterns)) {
    // Still one test: a bench file with none fails the run, and the reporter learns which ids and families exist.
    describe(suite.spec.id, () => {
      test('not selected by FUSEBENCH_PATTERNS', ({ task }) => {
        task.meta.fusebenchDeclared = header;
      });
    });
    return;
  }
  describe(suite.spec.id, () => {
    // The suite's sizes in fresh worker processes first (all processes but this one, which each test adds).
    const fromWorkers = new Map<string, SizeResult[]>();
    const key = (backend: string, label: string): string => `${backend}|${label}`;
    beforeAll(async () => {
      for (const status of statuses.filter((s) => s.available)) {
        const passes = processesFor(status.kind, config, env.quick) - 1;
        if (passes < 1) continue;
        const items = planRun([suite], [status], env.quick);
        const { runs } = await measurePasses(items, { backend: status.name, kind: status.kind, config, quick: env.quick, passes });
        items.forEach((it, i) => fromWorkers.set(key(status.name, suite.spec.label(it.params)), runs[i]!));
      }
    });
    for (const item of planRun([suite], statuses, env.quick)) {
      const status = statuses.find((s) => s.name === item.backend)!;
      const label = suite.spec.label(item.params);
      test(`${item.backend} · ${label}`, async ({ bench, task }) => {
        const active = await activate(status);
        if (!('adapter' in active)) throw new Error(`backend ${status.name}: ${active.reason ?? 'unavailable'}`);
        const processes = processesFor(status.kind, config, env.quick);
        const session = await openSize(suite.file, suite.spec, active.adapter, item.params, { config: perProcessConfig(config, processes), quick: env.quick });
        let result: SizeResult;
        if ('finish' in session) {
          try {
            const samples = await measuredBy({ device: active.adapter, plan: session.plan }, () =>
              bench.compare(bench('unfused', session.unfused), bench('fused', session.fused)));
            result = session.finish(samples);
          } catch (e) {
            result = failedResult(session.base, e);
          }
          result = session.end(result);
        } else {
          result = session;
        }
        result = poolProcesses([result, ...(fromWorkers.get(key(item.backend, label)) ?? [])], { config, prediction: suite.spec.predictions[status.kind] });
        task.meta.fusebench = { pattern: header, backend: active.status, backends: statuses, machine, quick: env.quick, result };
        const failure = failureMessage(suite, result);
        if (failure) expect.fail(failure);
        const min = suite.spec.minSpeedup?.[item.backend];
        if (min !== undefined) {
          expect(result.speedup!.ratio, `${suite.spec.id} at ${result.size} on ${item.backend}: speedup ${result.speedup!.ratio.toFixed(3)}× is below the suite's minSpeedup ${min}×`).toBeGreaterThanOrEqual(min);
        }
      });
    }
    if (planRun([suite], statuses, env.quick).length === 0) {
      test.skip(`no available backend among ${statuses.map((s) => s.name).join(', ') || 'the selection'}`, () => {});
    }
  });
}

setFrontEnd(declareSuite);
