/**
 * Measures a batch of planned sizes in several processes, one pass after another: the first pass in this process
 * (or in a worker), each later pass in one fresh worker process over the sizes that have not converged, whatever
 * their backends (so a suite file's cpu and wasm sizes share the worker of each pass).
 * A size is done once its pooled CI is tight (relative half-width ≤ sampling.targetHalfWidth) after at least
 * sampling.minProcesses passes, when its time budget is spent, or after the last allowed pass.
 */
import type { FusebenchConfig } from './core/config.ts';
import type { BackendKind, SizeResult } from './core/types.ts';
import type { PlannedSize } from './run.ts';
import { converged, poolProcesses } from './processes.ts';
import { runWorker } from './workers.ts';

export interface PassOptions {
  /** The kind of each backend the items name (it decides how many processes a size gets). */
  readonly kindOf: (backend: string) => BackendKind;
  readonly config: FusebenchConfig;
  readonly quick: boolean;
  /** Measures one planned size in this process (the first pass), or undefined to run every pass in workers. */
  readonly inProcess?: (item: PlannedSize, config: FusebenchConfig) => Promise<SizeResult>;
  /** Called when a planned size is final, with its pooled result. */
  readonly onDone?: (index: number, result: SizeResult) => void;
  /** Called after each measurement of each size in each pass, with the pooled result so far. */
  readonly onProgress?: (index: number, pass: number, result: SizeResult) => void;
  /** Passes fewer than the kind allows (the vitest front end runs one fewer in workers and adds its own). */
  readonly fewer?: number;
}

export interface PassResults {
  /** [size]: the size's result pooled over its processes. */
  readonly pooled: SizeResult[];
  /** [size][process]: each process's own result. */
  readonly runs: SizeResult[][];
}

/** Processes a size may be measured in on this backend kind. */
export function processesFor(kind: BackendKind, config: FusebenchConfig, quick: boolean): number {
  const s = config.sampling;
  return kind === 'gpu' ? s.gpuProcesses : quick ? s.quickProcesses : s.processes;
}

/**
 * The config one process of P measures with: its share of the size's time budget, and of its minimum rounds (at
 * least 2 per process, so each process has a spread of its own): the floor is the size's, not each process's.
 */
export function perProcessConfig(config: FusebenchConfig, processes: number): FusebenchConfig {
  const s = config.sampling;
  return { ...config, sampling: { ...s, maxSecondsPerSize: s.maxSecondsPerSize / processes, minRounds: Math.max(2, Math.ceil(s.minRounds / processes)) } };
}

export async function measurePasses(items: readonly PlannedSize[], opts: PassOptions): Promise<PassResults> {
  const allowed = items.map((it) => Math.max(1, processesFor(opts.kindOf(it.backend), opts.config, opts.quick)));
  const passes = allowed.map((p) => p - (opts.fewer ?? 0));
  const runs: SizeResult[][] = items.map(() => []);
  const pooled: Array<SizeResult | undefined> = items.map(() => undefined);
  const final = new Set<number>(items.map((_, i) => i).filter((i) => passes[i]! < 1));
  const finish = (i: number): void => {
    final.add(i);
    opts.onDone?.(i, pooled[i]!);
  };
  const configOf = (i: number): FusebenchConfig => perProcessConfig(opts.config, allowed[i]!);
  for (let pass = 1; final.size < items.length; pass++) {
    const pending = items.map((_, i) => i).filter((i) => !final.has(i));
    const record = (i: number, r: SizeResult): void => {
      runs[i]!.push(r);
      pooled[i] = poolProcesses(runs[i]!, { config: opts.config });
      opts.onProgress?.(i, pass, pooled[i]!);
      const enough = runs[i]!.length >= Math.min(passes[i]!, opts.config.sampling.minProcesses) && converged(pooled[i]!, opts.config);
      if (r.status !== 'ok' || enough || pass >= passes[i]!) finish(i);
    };
    if (pass === 1 && opts.inProcess) {
      for (const i of pending) record(i, await opts.inProcess(items[i]!, configOf(i)));
      continue;
    }
    // One worker per pass; items of different budgets travel with their own config.
    for (const group of groupBy(pending, (i) => allowed[i]!)) {
      const reported = new Set<number>();
      try {
        await runWorker(
          { quick: opts.quick, config: configOf(group[0]!), items: group.map((i) => ({ backend: items[i]!.backend, file: items[i]!.suite.file, id: items[i]!.suite.spec.id, params: items[i]!.params })) },
          (k, r) => {
            reported.add(group[k]!);
            record(group[k]!, r);
          },
        );
      } catch (e) {
        // A worker that died leaves its remaining sizes with what earlier passes measured, or failed with its error.
        for (const i of group.filter((j) => !reported.has(j))) {
          if (!pooled[i]) {
            const it = items[i]!, s = it.suite.spec;
            pooled[i] = { backend: it.backend, size: s.label(it.params), params: it.params, magnitude: s.magnitude(it.params), cost: s.cost(it.params), status: 'failed', error: (e as Error).message.slice(0, 600) };
          }
          finish(i);
        }
      }
    }
  }
  return { pooled: pooled.map((r) => r!), runs };
}

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): T[][] {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return [...m.values()];
}
