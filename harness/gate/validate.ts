/**
 * Reading and checking the gate's two inputs. Every fault becomes a `GateInputError` whose message names
 * the file and the JSON path at fault (e.g. `entries.Linear.cpu["64×256→256"].fused.samplesMs[3]`), so a
 * CI log says exactly what to fix. The CLI turns these into exit code 2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { RunResults } from '../core/types.ts';
import { assertValidResults, upgradeResults } from '../schema.ts';
import { BASELINE_SCHEMA, type Baseline } from './format.ts';
import { currentResultsSchema } from './current-schema.ts';

export class GateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateInputError';
  }
}

export const BASELINE_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/baseline.schema.json', import.meta.url));

const ajv = new Ajv({ allErrors: true, strict: false });
let baselineValidator: ValidateFunction | undefined;
let currentValidator: ValidateFunction | undefined;

function validators(): { baseline: ValidateFunction; current: ValidateFunction } {
  baselineValidator ??= ajv.compile(JSON.parse(readFileSync(BASELINE_SCHEMA_FILE, 'utf8')) as object);
  currentValidator ??= ajv.compile(currentResultsSchema);
  return { baseline: baselineValidator, current: currentValidator };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON pointer as a readable path: `/entries/X/cpu/32×64→64/fused` → `entries.X.cpu["32×64→64"].fused`. */
export function pointerToPath(pointer: string, extra?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  let out = '';
  for (const s of segments) {
    if (/^(0|[1-9][0-9]*)$/.test(s)) out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? '(top level)' : out;
}

function describeError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${pointerToPath(e.instancePath, String(params.missingProperty))}: is missing`;
    case 'additionalProperties':
      return `${pointerToPath(e.instancePath, String(params.additionalProperty))}: is not an allowed field`;
    case 'const':
      return `${pointerToPath(e.instancePath)}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${pointerToPath(e.instancePath)}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${pointerToPath(e.instancePath)}: ${e.message ?? e.keyword}`;
  }
}

/** The schema errors worth reading: `if`/`then` wrappers repeat what their inner error already says. */
function schemaFailure(name: string, errors: readonly ErrorObject[] | null | undefined): GateInputError {
  const lines = [...new Set((errors ?? []).filter((e) => e.keyword !== 'if').map(describeError))];
  const shown = lines.slice(0, 6);
  const more = lines.length > shown.length ? `\n  … and ${lines.length - shown.length} more` : '';
  return new GateInputError(`${name}: does not match the schema:\n  ${shown.join('\n  ')}${more}`);
}

export function readJsonFile(file: string, what: string): unknown {
  if (!existsSync(file)) throw new GateInputError(`${what} file not found: ${file}`);
  if (!statSync(file).isFile()) throw new GateInputError(`${what} is not a file: ${file}`);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new GateInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Rounds pair by index, so both variants of a size must hold the same number of them. */
function pairingFault(path: string, unfused: readonly number[], fused: readonly number[]): string | undefined {
  return unfused.length === fused.length ? undefined
    : `${path}: unfused.samplesMs has ${unfused.length} rounds but fused.samplesMs has ${fused.length}; rounds must pair one to one`;
}

export function assertBaseline(doc: unknown, name: string): asserts doc is Baseline {
  if (doc !== null && typeof doc === 'object' && (doc as { schema?: unknown }).schema === 'fusebench/results@1') {
    throw new GateInputError(`${name}: is a results file, not a baseline; write one with fusebench baseline --from ${name} --out <file>`);
  }
  const { baseline } = validators();
  if (!baseline(doc)) throw schemaFailure(name, baseline.errors);
  const b = doc as Baseline;
  for (const [pattern, byBackend] of Object.entries(b.entries)) {
    for (const [backend, bySize] of Object.entries(byBackend)) {
      for (const [size, e] of Object.entries(bySize)) {
        const pointer = ['', 'entries', pattern, backend, size].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        e.runs.forEach((run, i) => {
          const path = pointerToPath(`${pointer}/runs/${i}`);
          if (run.source >= b.sources.length) {
            throw new GateInputError(`${name}: ${path}.source: ${run.source} names no entry of sources (${b.sources.length} given)`);
          }
          const fault = pairingFault(path, run.unfused.samplesMs, run.fused.samplesMs);
          if (fault) throw new GateInputError(`${name}: ${fault}`);
        });
      }
    }
  }
}

export function assertCurrentResults(doc: unknown, name: string): asserts doc is RunResults {
  if (doc !== null && typeof doc === 'object' && (doc as { schema?: unknown }).schema === BASELINE_SCHEMA) {
    throw new GateInputError(`${name}: is a baseline; --current takes a run's results.json`);
  }
  try {
    assertValidResults(doc, name);
  } catch (e) {
    throw new GateInputError((e as Error).message);
  }
  const { current } = validators();
  if (!current(doc)) throw schemaFailure(name, current.errors);
  const r = doc as RunResults;
  r.patterns.forEach((p, pi) => p.results.forEach((s, si) => {
    if (s.status !== 'ok' || !s.unfused || !s.fused) return;
    const fault = pairingFault(`patterns[${pi}].results[${si}]`, s.unfused.samplesMs, s.fused.samplesMs);
    if (fault) throw new GateInputError(`${name}: ${fault}`);
  }));
}

export function loadBaseline(file: string): Baseline {
  const doc = readJsonFile(file, 'baseline');
  assertBaseline(doc, file);
  return doc;
}

export function loadCurrentResults(file: string): RunResults {
  const doc = readJsonFile(file, 'current results');
  assertCurrentResults(doc, file);
  return upgradeResults(doc);
}
