/**
 * Measures a batch of planned sizes on one backend in several processes, one pass after another: the first pass in
 * this process (or in a worker), each later pass in a fresh worker process over the sizes that have not converged.
 * A size is done once its pooled CI is tight (relative half-width ≤ sampling.targetHalfWidth) after at least
 * sampling.minProcesses passes, when its time budget is spent, or after the last allowed pass.
 */
import type { FusebenchConfig } from './core/config.ts';
import type { BackendKind, SizeResult } from './core/types.ts';
import type { PlannedSize } from './run.ts';
import { converged, poolProcesses } from './processes.ts';
import { runWorker } from './workers.ts';

export interface PassOptions {
  readonly backend: string;
  readonly kind: BackendKind;
  readonly config: FusebenchConfig;
  readonly quick: boolean;
  /** Measures one planned size in this process (the first pass), or undefined to run every pass in workers. */
  readonly inProcess?: (item: PlannedSize, config: FusebenchConfig) => Promise<SizeResult>;
  /** Called when a planned size is final, with its pooled result. */
  readonly onDone?: (index: number, result: SizeResult) => void;
  /** Called after each measurement of each size in each pass, with the pooled result so far. */
  readonly onProgress?: (index: number, pass: number, result: SizeResult) => void;
  /** Passes to run (default: every process the backend kind allows); the vitest front end runs one fewer and adds its own. */
  readonly passes?: number;
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

/** The config one process of P measures with: its share of the size's time budget. */
export function perProcessConfig(config: FusebenchConfig, processes: number): FusebenchConfig {
  return { ...config, sampling: { ...config.sampling, maxSecondsPerSize: config.sampling.maxSecondsPerSize / processes } };
}

export async function measurePasses(items: readonly PlannedSize[], opts: PassOptions): Promise<PassResults> {
  const allowed = Math.max(1, processesFor(opts.kind, opts.config, opts.quick));
  const P = opts.passes ?? allowed;
  const perProcess = perProcessConfig(opts.config, allowed);
  const runs: SizeResult[][] = items.map(() => []);
  const pooled: Array<SizeResult | undefined> = items.map(() => undefined);
  const final = new Set<number>();
  const finish = (i: number): void => {
    final.add(i);
    opts.onDone?.(i, pooled[i]!);
  };
  if (P === 0) return { pooled: [], runs };
  for (let pass = 1; pass <= P && final.size < items.length; pass++) {
    const pending = items.map((_, i) => i).filter((i) => !final.has(i));
    const record = (i: number, r: SizeResult): void => {
      runs[i]!.push(r);
      const last = pass === P;
      pooled[i] = poolProcesses(runs[i]!, { config: opts.config, prediction: items[i]!.suite.spec.predictions[opts.kind] });
      opts.onProgress?.(i, pass, pooled[i]!);
      const enough = runs[i]!.length >= Math.min(P, opts.config.sampling.minProcesses) && converged(pooled[i]!, opts.config);
      if (r.status !== 'ok' || enough || last) finish(i);
    };
    if (pass === 1 && opts.inProcess) {
      for (const i of pending) record(i, await opts.inProcess(items[i]!, perProcess));
    } else {
      const reported = new Set<number>();
      try {
        await runWorker(
          { backend: opts.backend, quick: opts.quick, config: perProcess, items: pending.map((i) => ({ file: items[i]!.suite.file, id: items[i]!.suite.spec.id, params: items[i]!.params })) },
          (k, r) => {
            reported.add(pending[k]!);
            record(pending[k]!, r);
          },
        );
      } catch (e) {
        // A worker that died leaves its remaining sizes with what earlier passes measured, or failed with its error.
        for (const i of pending.filter((j) => !reported.has(j))) {
          if (!pooled[i]) {
            const s = items[i]!.suite.spec;
            pooled[i] = { backend: opts.backend, size: s.label(items[i]!.params), params: items[i]!.params, magnitude: s.magnitude(items[i]!.params), cost: s.cost(items[i]!.params), status: 'failed', error: (e as Error).message.slice(0, 600) };
          }
          finish(i);
        }
      }
    }
  }
  return { pooled: pooled.map((r) => r!), runs };
}
