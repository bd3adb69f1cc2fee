/**
 * The one place a results document (results.json) is assembled, whichever front end measured it: the CLI runner
 * in one process, or the vitest reporter from the tests' metadata (possibly merged from shards). Pipelines are
 * assembled after the patterns: each size's Amdahl prediction uses the micro suite's results of the same run.
 */
import type { BackendStatus, MachineInfo, PatternResult, PipelineSizeResult, RegisteredSuite, RunResults, SizeResult } from './core/types.ts';
import type { FusebenchConfig } from './core/config.ts';
import { samplingRecord } from './sampling-record.ts';
import { pipelineResult, type PipelineHeader } from './pipeline-results.ts';

export { pipelineHeader, type PipelineHeader } from './pipeline-results.ts';

/** Everything results.json records of a suite except its measured sizes: plain data, safe to carry between processes. */
export type PatternHeader = Omit<PatternResult, 'results'>;

export function patternHeader({ spec, file }: RegisteredSuite): PatternHeader {
  return {
    id: spec.id,
    family: spec.family,
    title: spec.title,
    file,
    fusedBy: spec.fusedBy,
    standsFor: spec.standsFor ?? [],
    predictions: spec.predictions,
    ...(spec.minSpeedup ? { minSpeedup: spec.minSpeedup } : {}),
    notes: spec.notes ?? [],
  };
}

/** A suite's declaration and its measured sizes, as results.json records a pattern. */
export function patternResult(suite: RegisteredSuite, results: readonly SizeResult[]): PatternResult {
  return { ...patternHeader(suite), results };
}

export interface ResultsParts {
  readonly command: string;
  readonly quick: boolean;
  readonly config: FusebenchConfig;
  readonly machine: MachineInfo;
  readonly backends: readonly BackendStatus[];
  /** In the order the report should list them. */
  readonly patterns: ReadonlyArray<{ readonly header: PatternHeader; readonly results: readonly SizeResult[] }>;
  /** Macro pipelines of the run, in report order; their Amdahl predictions use the patterns' results. */
  readonly pipelines?: ReadonlyArray<{ readonly header: PipelineHeader; readonly results: readonly PipelineSizeResult[] }>;
  readonly createdAt?: string;
  readonly shards?: RunResults['shards'];
}

export function assembleResults(parts: ResultsParts): RunResults {
  const patterns = parts.patterns.map(({ header, results }) => ({ ...header, results }));
  const pipelines = (parts.pipelines ?? []).map(({ header, results }) => pipelineResult(header, results, patterns, parts.config));
  return {
    schema: 'fusebench/results@1',
    createdAt: parts.createdAt ?? new Date().toISOString(),
    command: parts.command,
    quick: parts.quick,
    machine: parts.machine,
    sampling: samplingRecord(parts.config, parts.quick),
    backends: parts.backends,
    patterns,
    ...(pipelines.length ? { pipelines } : {}),
    ...(parts.shards ? { shards: parts.shards } : {}),
  };
}
