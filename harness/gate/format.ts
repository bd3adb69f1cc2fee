/**
 * The baseline file (mirrored by schemas/baseline.schema.json): the raw per-round samples of one or more runs,
 * keyed by pattern → backend → size, with the machine they were taken on. Raw rounds, not summaries, because
 * the gate's tests work on rounds; several runs, because only repeated runs show how much a whole run moves
 * (what the fused-time test needs, see run-level.ts).
 */
import type { Interval, MachineInfo, RunResults, SizeParams } from '../core/types.ts';
import { median } from '../core/stats.ts';
import { compareMachines } from './machine.ts';

export const BASELINE_SCHEMA = 'fusebench/baseline@1';

export interface BaselineVariant {
  /** One wall-clock sample per round, in round order; round i of unfused pairs with round i of fused. */
  readonly samplesMs: readonly number[];
  /** For readers; the gate recomputes everything from `samplesMs`. */
  readonly medianMs: number;
}

/** One run's measurement of one size. */
export interface BaselineRun {
  /** Index into `Baseline.sources`. */
  readonly source: number;
  readonly unfused: BaselineVariant;
  readonly fused: BaselineVariant;
  /** The run's own speedup interval, for readers. (Baselines written before verdicts were judged at render time also carry a `verdict` string; it is ignored.) */
  readonly speedup: Interval;
  /** Rounds per process, where the run measured the size in several processes (samplesMs holds them in order). */
  readonly processRounds?: readonly number[];
}

export interface BaselineEntry {
  readonly params: SizeParams;
  readonly runs: readonly BaselineRun[];
}

/** pattern id → backend name → size label → entry. */
export type BaselineEntries = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, BaselineEntry>>>>>>;

export interface BaselineSource {
  readonly file: string;
  readonly command: string;
  readonly createdAt: string;
  readonly quick: boolean;
}

export interface Baseline {
  readonly schema: typeof BASELINE_SCHEMA;
  readonly createdAt: string;
  /** The runs the samples come from, in the order given. */
  readonly sources: readonly BaselineSource[];
  /** The one machine every run came from. */
  readonly machine: MachineInfo;
  /** Device description per backend, as the runs saw it. */
  readonly devices: Readonly<Record<string, string>>;
  readonly sampling: RunResults['sampling'];
  readonly entries: BaselineEntries;
}

export interface BaselineBuild {
  readonly baseline: Baseline;
  /** Rows left out or worth a warning, one line each. */
  readonly notes: string[];
  /** Distinct pattern × backend × size rows kept. */
  readonly rows: number;
}

export class BaselineBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineBuildError';
  }
}

export interface NamedResults {
  readonly file: string;
  readonly results: RunResults;
}

/**
 * Builds a baseline from one or more validated runs of one machine. Sizes that failed are left out (and
 * named in `notes`). Throws `BaselineBuildError` for runs of different machines, a run given twice, or a size
 * label that appears twice in one pattern.
 */
export function baselineFromResults(input: NamedResults | readonly NamedResults[], now: Date = new Date()): BaselineBuild {
  const runs = Array.isArray(input) ? (input as readonly NamedResults[]) : [input as NamedResults];
  if (runs.length === 0) throw new BaselineBuildError('a baseline needs at least one run');
  const first = runs[0];
  const seen = new Map<string, string>();
  for (const r of runs) {
    const m = compareMachines(first.results.machine, r.results.machine);
    if (!m.same) {
      throw new BaselineBuildError(`${r.file}: comes from another machine than ${first.file} (${m.differences.join('; ')}); a baseline's runs must share one machine`);
    }
    const id = `${r.results.createdAt} ${r.results.command}`;
    const twin = seen.get(id);
    if (twin !== undefined) throw new BaselineBuildError(`${r.file}: is the same run as ${twin} (created ${r.results.createdAt}); give each run once`);
    seen.set(id, r.file);
  }

  const entries: Record<string, Record<string, Record<string, { params: BaselineEntry['params']; runs: BaselineRun[] }>>> = {};
  const notes: string[] = [];
  let rows = 0;
  runs.forEach(({ file, results }, source) => {
    results.patterns.forEach((pattern, pi) => {
      const inThisRun = new Set<string>();
      pattern.results.forEach((r, ri) => {
        const where = `${pattern.id} · ${r.backend} · ${r.size}`;
        if (r.status !== 'ok' || !r.unfused || !r.fused || !r.speedup) {
          notes.push(`${file}: left out ${where}: the size failed (${r.error ?? 'no error recorded'})`);
          return;
        }
        const key = JSON.stringify([r.backend, r.size]);
        if (inThisRun.has(key)) {
          throw new BaselineBuildError(`${file}: patterns[${pi}].results[${ri}]: ${where} appears twice; sizes of a pattern need distinct labels to be keyed`);
        }
        inThisRun.add(key);
        if (r.correctness?.fused.ok === false) notes.push(`${file}: warning: ${where} is ✗ Incorrect in this run`);
        const bySize = ((entries[pattern.id] ??= {})[r.backend] ??= {});
        if (!bySize[r.size]) {
          bySize[r.size] = { params: r.params, runs: [] };
          rows++;
        }
        bySize[r.size].runs.push({
          source,
          unfused: { samplesMs: r.unfused.samplesMs, medianMs: median(r.unfused.samplesMs) },
          fused: { samplesMs: r.fused.samplesMs, medianMs: median(r.fused.samplesMs) },
          speedup: r.speedup,
          ...(r.processes && r.processes.length > 1 ? { processRounds: r.processes.map((x) => x.rounds) } : {}),
        });
      });
    });
  });
  const devices: Record<string, string> = {};
  for (const { results } of runs) for (const b of results.backends) if (b.device) devices[b.name] ??= b.device.description;
  return {
    baseline: {
      schema: BASELINE_SCHEMA,
      createdAt: now.toISOString(),
      sources: runs.map(({ file, results }) => ({ file, command: results.command, createdAt: results.createdAt, quick: results.quick })),
      machine: first.results.machine,
      devices,
      sampling: first.results.sampling,
      entries,
    },
    notes,
    rows,
  };
}
