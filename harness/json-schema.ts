/**
 * The machinery every fusebench document validator shares: compile a JSON Schema from schemas/ (with the
 * schemas it `$ref`s), turn ajv's errors into `<JSON path> <problem>` lines, and collect a document's
 * faults after a JSON round trip, so a NaN that JSON would write as null is caught before the file is
 * written rather than by the next run that reads it. Each document kind (results.json in schema.ts; the
 * MACRO-RESULTS.json files of earlier macro studies, checked in) adds its schema file and the cross-field checks a
 * schema cannot state.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/** At most this many faults are listed; the count of the rest is given. */
const MAX_LISTED = 12;

/** A document that fails its schema or cross-field checks; the message has one `<name>: <path> <problem>` line per fault. */
export class DocumentValidationError extends Error {
  /** One line per fault, each `<JSON path> <what is wrong>`. */
  readonly problems: readonly string[];
  constructor(name: string, problems: readonly string[]) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => `${name}: ${p}`);
    if (problems.length > MAX_LISTED) listed.push(`${name}: …and ${problems.length - MAX_LISTED} more`);
    super(listed.join('\n'));
    this.name = 'DocumentValidationError';
    this.problems = problems;
  }
}

const readSchema = (file: URL): object => JSON.parse(readFileSync(file, 'utf8')) as object;

/**
 * A lazily compiled validator for `file`. `refs` are the schemas it points into with `$ref` (resolved
 * against each schema's `$id`), so shared definitions are written once, in the schema that owns them.
 */
export function schemaValidator(file: URL, refs: readonly URL[] = []): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    if (!compiled) {
      const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
      for (const ref of refs) ajv.addSchema(readSchema(ref));
      compiled = ajv.compile(readSchema(file));
    }
    return compiled;
  };
}

/** JSON-pointer segments are escaped (`~1` for `/`); show them as written in the document. */
export const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

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

/**
 * The faults of `doc` as it will be written (after a JSON round trip), each `<JSON path> <problem>`; empty
 * when it is valid. `crossChecks` runs only on a document the schema accepts, so it may rely on its shape.
 */
export function documentProblems<T>(doc: unknown, validate: ValidateFunction, crossChecks: (doc: T) => string[]): string[] {
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(doc)) as unknown;
  } catch (e) {
    return [`/ cannot be serialised as JSON: ${(e as Error).message}`];
  }
  if (!validate(json)) {
    return [...new Set((validate.errors ?? []).map(describeAjvError).filter((x): x is string => x !== undefined))];
  }
  return crossChecks(json as T);
}

/** Reads and parses a JSON file; an unreadable or unparsable file is an error naming it. */
export function readJsonDocument(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
