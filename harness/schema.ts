/**
 * Validates results.json documents against schemas/results.schema.json (ajv), then checks what a schema
 * cannot express (every result names a listed backend; paired samples have equal lengths; lo ≤ ratio ≤ hi).
 * Errors name the document and the JSON path of each fault:
 *   `results.json: /patterns/0/results/2/speedup/lo must be number`
 * The document is validated as it will be written: after a JSON round trip, so a NaN that JSON would
 * turn into null is caught here rather than in the next run that reads the file.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { RunResults } from './types.ts';

export const RESULTS_SCHEMA_FILE = new URL('../schemas/results.schema.json', import.meta.url);

/** At most this many faults are listed; the count of the rest is given. */
const MAX_LISTED = 12;

export class ResultsValidationError extends Error {
  /** One line per fault, each `<JSON path> <what is wrong>`. */
  readonly problems: readonly string[];
  constructor(name: string, problems: readonly string[]) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => `${name}: ${p}`);
    if (problems.length > MAX_LISTED) listed.push(`${name}: …and ${problems.length - MAX_LISTED} more`);
    super(listed.join('\n'));
    this.name = 'ResultsValidationError';
    this.problems = problems;
  }
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(RESULTS_SCHEMA_FILE, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** JSON-pointer segments are escaped (`~1` for `/`); show them as written in the document. */
const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** One fault as `<path> <problem>`; the path is `/` for the document itself. */
export function describeAjvError(e: ErrorObject): string | undefined {
  const at = unescapePointer(e.instancePath) || '/';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined; // the failing `then`/`else` branch reports the real fault
    case 'required':
      return `${at} must have required property '${String(params.missingProperty)}'`;
    case 'additionalProperties':
      return `${at} must not have property '${String(params.additionalProperty)}'`;
    case 'enum':
      return `${at} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${at} ${e.message ?? `fails ${e.keyword}`}`;
  }
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
    if (p.predictions.cpu.min > p.predictions.cpu.max) problems.push(`/patterns/${i}/predictions/cpu min exceeds max`);
    if (p.predictions.gpu.min > p.predictions.gpu.max) problems.push(`/patterns/${i}/predictions/gpu min exceeds max`);
    p.results.forEach((r, j) => {
      const at = `/patterns/${i}/results/${j}`;
      if (!backends.has(r.backend)) problems.push(`${at}/backend "${r.backend}" is not among /backends`);
      if (r.unfused && r.fused && r.unfused.samplesMs.length !== r.fused.samplesMs.length) {
        problems.push(`${at}/fused/samplesMs must pair with /unfused/samplesMs (${r.fused.samplesMs.length} vs ${r.unfused.samplesMs.length} rounds)`);
      }
      if (r.speedup && !(r.speedup.lo <= r.speedup.ratio && r.speedup.ratio <= r.speedup.hi)) {
        problems.push(`${at}/speedup must satisfy lo ≤ ratio ≤ hi (got ${r.speedup.lo}, ${r.speedup.ratio}, ${r.speedup.hi})`);
      }
      if (r.judgement && r.correctness && !r.correctness.fused.ok && r.judgement.verdict !== '✗ Incorrect') {
        problems.push(`${at}/judgement/verdict must be "✗ Incorrect" when /correctness/fused/ok is false`);
      }
    });
  });
  return problems;
}

/** The faults of a document, each `<JSON path> <problem>`; empty when it is valid. */
export function resultsProblems(doc: unknown): string[] {
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(doc)) as unknown;
  } catch (e) {
    return [`/ cannot be serialised as JSON: ${(e as Error).message}`];
  }
  const validate = validator();
  if (!validate(json)) {
    return [...new Set((validate.errors ?? []).map(describeAjvError).filter((x): x is string => x !== undefined))];
  }
  return crossChecks(json as RunResults);
}

/** Throws `ResultsValidationError` naming `name` and the path of every fault. */
export function assertValidResults(doc: unknown, name: string): asserts doc is RunResults {
  const problems = resultsProblems(doc);
  if (problems.length) throw new ResultsValidationError(name, problems);
}

/** Reads and validates a results.json file. */
export function loadResults(file: string): RunResults {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  assertValidResults(doc, file);
  return doc;
}
