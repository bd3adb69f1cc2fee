/**
 * `defineSuite`: validates a declaration, records the file it came from, and registers it.
 * A front end (vitest, the CLI) subscribes to registrations (declare.ts); the core never imports vitest.
 */
import type { BackendKind, RegisteredSuite, SizeParams, SuiteSpec } from './types.ts';
import { SuiteDeclarationError } from './errors.ts';
import { callerFile, idTakenBy, recordSuite } from './declare.ts';

export { clearRegistry, registeredSuites, setFrontEnd } from './declare.ts';

const REQUIRED_FUNCTIONS = ['label', 'magnitude', 'inputs', 'unfused', 'fused', 'cost', 'reference'] as const;
const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

function validate(spec: SuiteSpec, file: string): void {
  const fail = (field: string, problem: string): never => {
    throw new SuiteDeclarationError(file, field, problem);
  };
  if (spec === null || typeof spec !== 'object') fail('(suite)', 'must be an object');
  for (const field of ['id', 'family', 'title'] as const) {
    if (typeof spec[field] !== 'string' || spec[field].length === 0) fail(field, 'is missing (a non-empty string)');
  }
  if (!ID_PATTERN.test(spec.id)) fail('id', `"${spec.id}" must be letters, digits and underscores, starting with a letter`);
  for (const field of REQUIRED_FUNCTIONS) {
    const v = spec[field] as unknown;
    if (v === undefined) fail(field, 'is missing (a function)');
    if (typeof v !== 'function') fail(field, `must be a function (got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v})`);
  }
  if (spec.prepare !== undefined && typeof spec.prepare !== 'function') fail('prepare', 'must be a function');
  if (!spec.sizes || typeof spec.sizes !== 'object') fail('sizes', 'is missing ({ full: [...], quick: [...] })');
  for (const set of ['full', 'quick'] as const) {
    const sizes = spec.sizes[set];
    if (!Array.isArray(sizes)) fail(`sizes.${set}`, 'is missing (an array of size parameters)');
    if (sizes.length === 0) fail(`sizes.${set}`, 'is empty');
    sizes.forEach((p: SizeParams, i: number) => {
      if (p === null || typeof p !== 'object') fail(`sizes.${set}[${i}]`, 'must be an object of numbers');
      for (const [k, v] of Object.entries(p)) {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`sizes.${set}[${i}].${k}`, `must be a finite number (got ${String(v)})`);
      }
    });
  }
  if (!['tfjs fused kernel', 'fusebench kernel', 'folded at build time'].includes(spec.fusedBy)) {
    fail('fusedBy', `must be 'tfjs fused kernel', 'fusebench kernel' or 'folded at build time' (got ${String(spec.fusedBy)})`);
  }
  if (!spec.predictions || typeof spec.predictions !== 'object') fail('predictions', 'is missing ({ cpu: {...}, gpu: {...} })');
  for (const kind of ['cpu', 'gpu'] as BackendKind[]) {
    const p = spec.predictions[kind];
    if (!p) fail(`predictions.${kind}`, 'is missing ({ min, max, source })');
    if (!(p.min > 0) || !(p.max >= p.min)) fail(`predictions.${kind}`, `needs 0 < min ≤ max (got ${p.min}–${p.max})`);
    if (typeof p.source !== 'string' || p.source.length === 0) fail(`predictions.${kind}.source`, 'is missing (where the prediction comes from)');
  }
  if (spec.tolerance !== undefined && typeof spec.tolerance !== 'function') {
    const t = spec.tolerance;
    if (!(t.atol >= 0) || !(t.rtol >= 0)) fail('tolerance', 'needs atol ≥ 0 and rtol ≥ 0');
  }
  if (spec.minSpeedup !== undefined) {
    for (const [backend, v] of Object.entries(spec.minSpeedup)) {
      if (!(v > 0)) fail(`minSpeedup.${backend}`, 'must be a positive number');
    }
  }
}

/**
 * Declares one fusion pattern. Throws `SuiteDeclarationError` naming the file and the field at fault.
 * Returns the spec unchanged so a file can `export default defineSuite({...})`.
 */
export function defineSuite<P extends SizeParams>(spec: SuiteSpec<P>, file: string = callerFile([import.meta.url])): SuiteSpec<P> {
  const generic = spec as unknown as SuiteSpec;
  validate(generic, file);
  const taken = idTakenBy(spec.id, file);
  if (taken) throw new SuiteDeclarationError(file, 'id', `"${spec.id}" is already declared by ${taken}`);
  recordSuite({ spec: generic, file });
  return spec;
}
