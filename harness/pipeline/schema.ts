/**
 * Validates MACRO-RESULTS.json documents against schemas/macro-results.schema.json (which `$ref`s the
 * results.json schema for the machine, backend status and the micro suite's pattern entry), then checks
 * what a schema cannot express: lo ≤ hi, one sample per round, results filed under the right backend and
 * pipeline, stages and groups naming each other, and the micro suite's entry by results.json's own rules.
 * Errors name the document and the JSON path of each fault:
 *   `MACRO-RESULTS.json: /backends/0/pipelines/1/results/2/macro/hi must be number`
 */
import type { MacroBackendResult, MacroStudyResults, PipelineResult, PipelineSizeResult, TimeSummary } from './results.ts';
import { DocumentValidationError, documentProblems, readJsonDocument, schemaValidator } from '../json-schema.ts';
import type { Interval } from '../core/types.ts';
import { RESULTS_SCHEMA_FILE, patternProblems } from '../schema.ts';

export const MACRO_RESULTS_SCHEMA_FILE = new URL('../../schemas/macro-results.schema.json', import.meta.url);
export const MACRO_SCHEMA_ID = 'fusebench/macro@1';

export class MacroResultsValidationError extends DocumentValidationError {
  constructor(name: string, problems: readonly string[]) {
    super(name, problems);
    this.name = 'MacroResultsValidationError';
  }
}

const validator = schemaValidator(MACRO_RESULTS_SCHEMA_FILE, [RESULTS_SCHEMA_FILE]);

const defined = (xs: ReadonlyArray<string | undefined>): string[] => xs.filter((x): x is string => x !== undefined);

/**
 * lo ≤ hi only: these are percentile-bootstrap intervals of statistics of medians (Amdahl predictions,
 * coverage, geomeans), and such a statistic's point estimate can fall just outside its own interval
 * (a simulation with 7 rounds and 100 resamples produced one), so lo ≤ ratio ≤ hi would refuse honest runs.
 */
const boundsProblem = (at: string, x: Interval): string | undefined =>
  x.lo <= x.hi ? undefined : `${at} must satisfy lo ≤ hi (got ${x.lo}, ${x.hi})`;

/** Faults of one measured size at `at`; `r.status` is 'ok', so the schema guarantees every measurement is present. */
function sizeProblems(r: PipelineSizeResult, at: string): string[] {
  const problems: string[] = [];
  const mismatches = r.correctness!.unfusedMismatches + r.correctness!.fusedMismatches;
  if (r.correctness!.ok !== (mismatches === 0)) {
    problems.push(`${at}/correctness/ok must be ${mismatches === 0} with ${r.correctness!.unfusedMismatches} unfused and ${r.correctness!.fusedMismatches} fused mismatches`);
  }
  // Every variant is sampled once per round, and rounds pair by index across variants.
  const summaries: Array<[string, TimeSummary]> = [
    ['unfused/wall', r.unfused!.wall], ['unfused/compute', r.unfused!.compute], ['fused/wall', r.fused!.wall], ['fused/compute', r.fused!.compute],
    ...r.stages!.map((s, k): [string, TimeSummary] => [`stages/${k}/compute`, s.compute]),
    ...r.groups!.flatMap((g, k): Array<[string, TimeSummary]> => [[`groups/${k}/fusedAlone`, g.fusedAlone], ...(g.copy ? [[`groups/${k}/copy/compute`, g.copy.compute] as [string, TimeSummary]] : [])]),
  ];
  for (const [path, s] of summaries) {
    if (s.samplesMs.length !== r.rounds) problems.push(`${at}/${path}/samplesMs must hold one sample per round (${s.samplesMs.length} samples, ${r.rounds} rounds)`);
  }
  const labels = new Set(r.groups!.map((g) => g.label));
  r.stages!.forEach((s, k) => {
    if (s.fusedGroup !== undefined && !labels.has(s.fusedGroup)) problems.push(`${at}/stages/${k}/fusedGroup "${s.fusedGroup}" names no entry of ${at}/groups`);
  });
  const names = new Set(r.stages!.map((s) => s.name));
  r.groups!.forEach((g, k) => g.stages.forEach((name, m) => {
    if (!names.has(name)) problems.push(`${at}/groups/${k}/stages/${m} "${name}" names no entry of ${at}/stages`);
  }));
  return [
    ...problems,
    ...defined([
      ...r.groups!.flatMap((g, k) => [boundsProblem(`${at}/groups/${k}/microSpeedup`, g.microSpeedup), g.copy && boundsProblem(`${at}/groups/${k}/copy/ratio`, g.copy.ratio)]),
      boundsProblem(`${at}/coverage/runtimeShare`, r.coverage!.runtimeShare),
      boundsProblem(`${at}/prediction`, r.prediction!),
      boundsProblem(`${at}/macro`, r.macro!),
      boundsProblem(`${at}/macroCompute`, r.macroCompute!),
    ]),
  ];
}

function pipelineProblems(p: PipelineResult, at: string, backend: string): string[] {
  return p.results.flatMap((r, j) => {
    const rAt = `${at}/results/${j}`;
    const problems: string[] = [];
    if (r.backend !== backend) problems.push(`${rAt}/backend "${r.backend}" differs from its backend "${backend}"`);
    if (r.pipeline !== p.id) problems.push(`${rAt}/pipeline "${r.pipeline}" differs from its pipeline "${p.id}"`);
    return r.status === 'ok' ? [...problems, ...sizeProblems(r, rAt)] : problems;
  });
}

function summaryProblems(b: MacroBackendResult, at: string): string[] {
  const s = b.summary;
  const ids = new Set(b.pipelines.map((p) => p.id));
  const problems: string[] = [];
  if (s.micro && s.micro.min > s.micro.max) problems.push(`${at}/micro min exceeds max`);
  if (s.copy && s.copy.best > s.copy.worst) problems.push(`${at}/copy best exceeds worst`);
  if (s.copy && s.copy.within > s.copy.of) problems.push(`${at}/copy/within must not exceed /copy/of (${s.copy.within} of ${s.copy.of})`);
  s.pipelines.forEach((p, k) => {
    if (!ids.has(p.id)) problems.push(`${at}/pipelines/${k}/id "${p.id}" is not among the backend's pipelines`);
  });
  return [
    ...problems,
    ...defined([
      ...s.pipelines.flatMap((p, k) => [boundsProblem(`${at}/pipelines/${k}/macro`, p.macro), boundsProblem(`${at}/pipelines/${k}/prediction`, p.prediction)]),
      s.overall && boundsProblem(`${at}/overall`, s.overall),
    ]),
  ];
}

/** Checks across fields that JSON Schema cannot state. */
function crossChecks(doc: MacroStudyResults): string[] {
  const problems: string[] = [];
  doc.backends.forEach((b, i) => {
    const at = `/backends/${i}`;
    const name = b.backend.name;
    if (doc.backends.findIndex((x) => x.backend.name === name) !== i) problems.push(`${at}/backend/name "${name}" is listed twice`);
    if (!b.backend.available && (b.micro || b.pipelines.length)) problems.push(`${at} holds measurements although /backend/available is false`);
    if (b.micro) problems.push(...patternProblems(b.micro, `${at}/micro`, new Set([name]), `${at}/backend/name`));
    b.pipelines.forEach((p, j) => {
      if (b.pipelines.findIndex((x) => x.id === p.id) !== j) problems.push(`${at}/pipelines/${j}/id "${p.id}" is listed twice`);
      problems.push(...pipelineProblems(p, `${at}/pipelines/${j}`, name));
    });
    problems.push(...summaryProblems(b, `${at}/summary`));
  });
  return problems;
}

/** The faults of a document, each `<JSON path> <problem>`; empty when it is valid. */
export function macroResultsProblems(doc: unknown): string[] {
  return documentProblems(doc, validator(), crossChecks);
}

/** Throws `MacroResultsValidationError` naming `name` and the path of every fault. */
export function assertValidMacroResults(doc: unknown, name: string): asserts doc is MacroStudyResults {
  const problems = macroResultsProblems(doc);
  if (problems.length) throw new MacroResultsValidationError(name, problems);
}

/** Reads and validates a MACRO-RESULTS.json file; another kind of document is named as such. */
export function loadMacroResults(file: string): MacroStudyResults {
  const doc = readJsonDocument(file);
  const id = doc !== null && typeof doc === 'object' ? (doc as { schema?: unknown }).schema : undefined;
  if (typeof id === 'string' && id !== MACRO_SCHEMA_ID) {
    throw new MacroResultsValidationError(file, [`/schema is ${JSON.stringify(id)}, not ${JSON.stringify(MACRO_SCHEMA_ID)}: not a MACRO-RESULTS.json`]);
  }
  assertValidMacroResults(doc, file);
  return doc;
}
