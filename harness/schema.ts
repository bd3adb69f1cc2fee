/**
 * Validates results.json documents against schemas/results.schema.json (ajv), then checks what a schema
 * cannot express (every result names a listed backend; paired samples have equal lengths; lo ≤ ratio ≤ hi; a
 * pipeline's stages and groups name each other).
 * Errors name the document and the JSON path of each fault:
 *   `results.json: /patterns/0/results/2/speedup/lo must be number`
 * The document is validated as it will be written: after a JSON round trip (see json-schema.ts).
 */
import type { Interval, PatternResult, PipelineResult, PipelineSizeResult, RunResults } from './core/types.ts';
import { DocumentValidationError, documentProblems, readJsonDocument, schemaValidator } from './json-schema.ts';

export const RESULTS_SCHEMA_FILE = new URL('../schemas/results.schema.json', import.meta.url);

export class ResultsValidationError extends DocumentValidationError {
  constructor(name: string, problems: readonly string[]) {
    super(name, problems);
    this.name = 'ResultsValidationError';
  }
}

const validator = schemaValidator(RESULTS_SCHEMA_FILE);

/** `at` must satisfy lo ≤ ratio ≤ hi: a bootstrap interval around its own point estimate. */
export function intervalProblem(at: string, x: Interval): string | undefined {
  return x.lo <= x.ratio && x.ratio <= x.hi ? undefined : `${at} must satisfy lo ≤ ratio ≤ hi (got ${x.lo}, ${x.ratio}, ${x.hi})`;
}

/** Faults every entry shares, pattern or pipeline: its prediction ranges, and results filed under a listed backend. */
function declarationProblems(p: PatternResult | PipelineResult, at: string, backends: ReadonlySet<string>, backendsAt: string): string[] {
  const problems: string[] = [];
  for (const kind of ['cpu', 'gpu'] as const) {
    if (p.predictions[kind].min > p.predictions[kind].max) problems.push(`${at}/predictions/${kind} min exceeds max`);
  }
  p.results.forEach((r, j) => {
    if (!backends.has(r.backend)) problems.push(`${at}/results/${j}/backend "${r.backend}" is not among ${backendsAt}`);
  });
  return problems;
}

/**
 * Cross-field faults of one pattern entry at JSON path `at`. `backends` are the backend names its results may
 * name, listed at `backendsAt` (in results.json: every backend of the run).
 */
export function patternProblems(p: PatternResult, at: string, backends: ReadonlySet<string>, backendsAt: string): string[] {
  const problems = declarationProblems(p, at, backends, backendsAt);
  p.results.forEach((r, j) => {
    const rAt = `${at}/results/${j}`;
    if (r.unfused && r.fused && r.unfused.samplesMs.length !== r.fused.samplesMs.length) {
      problems.push(`${rAt}/fused/samplesMs must pair with /unfused/samplesMs (${r.fused.samplesMs.length} vs ${r.unfused.samplesMs.length} rounds)`);
    }
    const speedup = r.speedup && intervalProblem(`${rAt}/speedup`, r.speedup);
    if (speedup) problems.push(speedup);
  });
  return problems;
}

/**
 * lo ≤ hi only: a percentile-bootstrap interval of a statistic of medians (coverage, Amdahl, a sum over stages)
 * may not contain its own point estimate, so lo ≤ ratio ≤ hi would refuse honest runs.
 */
function boundsProblem(at: string, x: Interval | undefined): string | undefined {
  return x === undefined || x.lo <= x.hi ? undefined : `${at} must satisfy lo ≤ hi (got ${x.lo}, ${x.hi})`;
}

/** Cross-field faults of one measured pipeline size at `at`. */
function pipelineSizeProblems(r: PipelineSizeResult, at: string): string[] {
  if (r.status !== 'ok') return [];
  const problems: string[] = [];
  // Every variant is sampled once per round: rounds pair by index across all of them.
  const rounds = r.unfused!.samplesMs.length;
  const series: Array<[string, readonly number[]]> = [
    ['fused', r.fused!.samplesMs],
    ...r.stages!.map((s, k): [string, readonly number[]] => [`stages/${k}/timing`, s.timing.samplesMs]),
    ...r.groups!.flatMap((g, k): Array<[string, readonly number[]]> => [[`groups/${k}/kernel`, g.kernel.samplesMs], ...(g.copy ? [[`groups/${k}/copy/timing`, g.copy.timing.samplesMs] as [string, readonly number[]]] : [])]),
  ];
  for (const [path, xs] of series) {
    if (xs.length !== rounds) problems.push(`${at}/${path}/samplesMs must pair with /unfused/samplesMs (${xs.length} vs ${rounds} rounds)`);
  }
  const labels = new Set(r.groups!.map((g) => g.label));
  r.stages!.forEach((s, k) => {
    if (s.group !== undefined && !labels.has(s.group)) problems.push(`${at}/stages/${k}/group "${s.group}" names no entry of ${at}/groups`);
  });
  const names = new Set(r.stages!.map((s) => s.name));
  r.groups!.forEach((g, k) => g.stages.forEach((name, m) => {
    if (!names.has(name)) problems.push(`${at}/groups/${k}/stages/${m} "${name}" names no entry of ${at}/stages`);
  }));
  const intervals: Array<[string, Interval | undefined]> = [
    ['speedup', r.speedup], ['coverage/runtime', r.coverage?.runtime], ['amdahl/speedup', r.amdahl?.speedup], ['amdahl/predicted', r.amdahl?.predicted],
    ...r.groups!.flatMap((g, k): Array<[string, Interval | undefined]> => [[`groups/${k}/speedup`, g.speedup], [`groups/${k}/copy/ratio`, g.copy?.ratio]]),
  ];
  for (const [path, x] of intervals) {
    const bad = boundsProblem(`${at}/${path}`, x);
    if (bad) problems.push(bad);
  }
  return problems;
}

/** Cross-field faults of one pipeline entry at JSON path `at`. */
export function pipelineProblems(p: PipelineResult, at: string, backends: ReadonlySet<string>, backendsAt: string): string[] {
  const problems = declarationProblems(p, at, backends, backendsAt);
  p.results.forEach((r, j) => problems.push(...pipelineSizeProblems(r, `${at}/results/${j}`)));
  p.summary.forEach((s, k) => {
    if (!p.results.some((r) => r.backend === s.backend)) problems.push(`${at}/summary/${k}/backend "${s.backend}" has no entry in ${at}/results`);
    for (const [path, x] of [['speedup', s.speedup], ['predicted', s.predicted]] as const) {
      const bad = boundsProblem(`${at}/summary/${k}/${path}`, x);
      if (bad) problems.push(bad);
    }
  });
  return problems;
}

/** Checks across fields that JSON Schema cannot state. */
function crossChecks(doc: RunResults): string[] {
  const problems: string[] = [];
  const backends = new Set(doc.backends.map((b) => b.name));
  doc.backends.forEach((b, i) => {
    if (doc.backends.findIndex((x) => x.name === b.name) !== i) problems.push(`/backends/${i}/name "${b.name}" is listed twice`);
  });
  const ids = new Set<string>();
  doc.patterns.forEach((p, i) => {
    if (ids.has(p.id)) problems.push(`/patterns/${i}/id "${p.id}" is listed twice`);
    ids.add(p.id);
    problems.push(...patternProblems(p, `/patterns/${i}`, backends, '/backends'));
  });
  (doc.pipelines ?? []).forEach((p, i) => {
    if (ids.has(p.id)) problems.push(`/pipelines/${i}/id "${p.id}" is listed twice (or is also a pattern's id)`);
    ids.add(p.id);
    problems.push(...pipelineProblems(p, `/pipelines/${i}`, backends, '/backends'));
  });
  return problems;
}

/** The faults of a document, each `<JSON path> <problem>`; empty when it is valid. */
export function resultsProblems(doc: unknown): string[] {
  return documentProblems(doc, validator(), crossChecks);
}

/** Throws `ResultsValidationError` naming `name` and the path of every fault. */
export function assertValidResults(doc: unknown, name: string): asserts doc is RunResults {
  const problems = resultsProblems(doc);
  if (problems.length) throw new ResultsValidationError(name, problems);
}

/** A variant as results written before pipelined timing (2026-12-04) stored it. */
interface ReadbackVariant {
  readonly medianMs?: number;
  readonly kernelMs?: number;
}

/** A size as results written before verdicts were judged at render time stored it: with its verdict strings. */
interface JudgedSize {
  readonly judgement?: unknown;
}

/**
 * Older results load as current ones:
 * - results written before pipelined timing carry `medianMs` (each sample ended with a full read-back) and `kernelMs`
 *   (tf.time of one call). They load with those figures as throughputMs, latencyMs and deviceMs, and with
 *   `sampling.method` left absent, which is how readers tell that they were measured the old way;
 * - results written before verdicts were judged at render time carry a `judgement` per size (display strings judged
 *   against the thresholds of that day), and a `decision` per pipeline summary. They are dropped: every reader judges
 *   from speedup and correctness with the thresholds in force.
 */
export function upgradeResults(doc: RunResults): RunResults {
  const pipelined = doc.sampling.method === 'pipelined';
  const variant = (v: RunResults['patterns'][number]['results'][number]['unfused']): typeof v => {
    if (pipelined || !v || v.throughputMs !== undefined) return v;
    const { medianMs, kernelMs, ...rest } = v as typeof v & ReadbackVariant;
    return { ...rest, throughputMs: medianMs!, latencyMs: medianMs!, ...(kernelMs === undefined ? {} : { deviceMs: kernelMs }) };
  };
  const unjudged = <T extends object>(r: T): T => {
    const { judgement: _ignored, ...rest } = r as T & JudgedSize;
    return rest as T;
  };
  const undecided = <T extends object>(s: T): T => {
    const { decision: _ignored, ...rest } = s as T & { readonly decision?: unknown };
    return rest as T;
  };
  const size = (r: RunResults['patterns'][number]['results'][number]): typeof r => {
    const rest = unjudged(r);
    return { ...rest, unfused: variant(rest.unfused), fused: variant(rest.fused) };
  };
  return {
    ...doc,
    patterns: doc.patterns.map((p) => ({ ...p, results: p.results.map(size) })),
    ...(doc.pipelines ? { pipelines: doc.pipelines.map((p) => ({ ...p, results: p.results.map(unjudged), summary: p.summary.map(undecided) })) } : {}),
  };
}

/** Reads and validates a results.json file; older documents are upgraded (see upgradeResults). */
export function loadResults(file: string): RunResults {
  const doc = readJsonDocument(file);
  assertValidResults(doc, file);
  return upgradeResults(doc);
}
