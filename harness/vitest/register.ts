/**
 * vitest front end: every suite declared in a bench file becomes a describe block with an `unfused` and a
 * `fused` bench per backend × size (tinybench timing, the vitest table). Before those are registered, the
 * harness measures the suite itself (correctness + interleaved rounds): those numbers drive the verdicts.
 */
import { bench, describe } from 'vitest';
import type { BackendAdapter, BackendStatus, RegisteredSuite, SizeParams, SizeResult } from '../core/types.ts';
import { setFrontEnd } from '../core/suite.ts';
import { loadConfig } from '../core/config.ts';
import { readEnv, withCache } from '../env.ts';
import { matchesSelector } from '../select.ts';
import { backendFacts, patternResult, resolveBackends } from '../run.ts';
import { buildSizeState, measureSize, type SizeState } from '../measure.ts';
import { seededRandom } from '../core/stats.ts';
import { activateBackend } from '../activate.ts';
import { writePartial } from './partial.ts';

const env = readEnv();
const config = withCache(await loadConfig(), env.cache);
const statuses: BackendStatus[] = await resolveBackends(env.backends);
const ready = new Map<string, Promise<BackendAdapter>>();
const facts = new Map<string, Awaited<ReturnType<typeof backendFacts>>>();

/** Unknown names in FUSEBENCH_PATTERNS are reported by the reporter, which sees every suite that ran. */
const isSelected = (suite: RegisteredSuite): boolean => matchesSelector(suite.spec, env.patterns);

async function activate(name: string): Promise<BackendAdapter> {
  let p = ready.get(name);
  if (!p) {
    p = (async () => {
      const a = await activateBackend(name);
      facts.set(name, await backendFacts(a, config));
      return a;
    })();
    ready.set(name, p);
  }
  const adapter = await p;
  await adapter.init(); // re-selects it as the active tfjs backend
  return adapter;
}

/** tinybench options: short, since the verdict numbers come from the harness's own rounds. */
const benchOptions = env.quick ? { time: 100, iterations: 5, warmupTime: 20, warmupIterations: 2 } : { time: 400, iterations: 10, warmupTime: 50, warmupIterations: 3 };

function registerBenches(suite: RegisteredSuite, adapter: BackendAdapter, p: SizeParams, result: SizeResult): void {
  const { spec } = suite;
  const name = `${adapter.name} · ${spec.label(p)}`;
  if (result.status !== 'ok') {
    describe.skip(`${name} (failed: ${result.error ?? 'unknown error'})`, () => {
      bench('unfused', () => {});
    });
    return;
  }
  describe(name, () => {
    let state: SizeState | undefined;
    const setup = async (): Promise<void> => {
      await activate(adapter.name);
      state ??= buildSizeState(spec, p, seededRandom(1));
    };
    // vitest's own table: one call and the device fence per iteration (a lone call's latency, not our verdict numbers).
    const call = (pick: (s: SizeState) => () => import('@tensorflow/tfjs-core').Tensor) => async (): Promise<void> => {
      const out = pick(state!)();
      await adapter.sync();
      out.dispose();
    };
    bench('unfused', call((s) => s.unfused), { ...benchOptions, setup });
    bench('fused', call((s) => s.fused), {
      ...benchOptions,
      setup,
      teardown: (_task, mode) => {
        if (mode === 'run') {
          state?.dispose();
          state = undefined;
        }
      },
    });
  });
}

setFrontEnd((suite) => {
  if (!isSelected(suite)) {
    // Still declare the suite (skipped): a bench file with no suite at all makes vitest fail the run.
    describe.skip(`${suite.spec.id} (not selected by FUSEBENCH_PATTERNS)`, () => {
      bench('unfused', () => {});
    });
    return;
  }
  describe(suite.spec.id, async () => {
    const results: SizeResult[] = [];
    const pending: Array<() => void> = [];
    for (const status of statuses) {
      if (!status.available) continue;
      const adapter = await activate(status.name);
      for (const p of env.quick ? suite.spec.sizes.quick : suite.spec.sizes.full) {
        const r = await measureSize(suite.file, suite.spec, adapter, p, { config, quick: env.quick });
        results.push(r);
        pending.push(() => registerBenches(suite, adapter, p, r));
      }
    }
    writePartial({
      quick: env.quick,
      backends: statuses.map((s) => ({ ...s, ...facts.get(s.name) })),
      pattern: patternResult(suite, results),
    });
    for (const register of pending) register();
  });
});
