/**
 * `defineSuite`: validates a declaration, records the file it came from, and registers it.
 * A front end (vitest, the CLI) subscribes to registrations (declare.ts); the core never imports vitest.
 */
import type { SizeParams, SuiteSpec } from './types.ts';
import { SuiteDeclarationError } from './errors.ts';
import { callerFile, checkCommonFields, idTakenBy, recordSuite, type Fail } from './declare.ts';

export { clearRegistry, registeredSuites, setFrontEnd } from './declare.ts';

const REQUIRED_FUNCTIONS = ['label', 'magnitude', 'inputs', 'unfused', 'fused', 'cost', 'reference'] as const;

function validate(spec: SuiteSpec, file: string): void {
  const fail: Fail = (field, problem) => {
    throw new SuiteDeclarationError(file, field, problem);
  };
  if (spec === null || typeof spec !== 'object') fail('(suite)', 'must be an object');
  checkCommonFields(spec, fail);
  for (const field of REQUIRED_FUNCTIONS) {
    const v = spec[field] as unknown;
    if (v === undefined) fail(field, 'is missing (a function)');
    if (typeof v !== 'function') fail(field, `must be a function (got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v})`);
  }
  if (spec.prepare !== undefined && typeof spec.prepare !== 'function') fail('prepare', 'must be a function');
  if (!['tfjs fused kernel', 'fusebench kernel', 'folded at build time'].includes(spec.fusedBy)) {
    fail('fusedBy', `must be 'tfjs fused kernel', 'fusebench kernel' or 'folded at build time' (got ${String(spec.fusedBy)})`);
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
