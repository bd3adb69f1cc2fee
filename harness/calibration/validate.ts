/**
 * Validates calibration profiles against schemas/calibration.schema.json. Every error names the file and
 * the JSON path of the fault, e.g. `cpu.json: /fusion_profiles/Conv2d_BN/sizes/0/speedup must be > 0`.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { unescapePointer } from '../json-schema.ts';
import type { CalibrationDocument } from './types.ts';

export const CALIBRATION_SCHEMA_FILE = new URL('../../schemas/calibration.schema.json', import.meta.url);

export class CalibrationFormatError extends Error {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(`${file}: not a valid calibration profile:\n  ${problems.join('\n  ')}`);
    this.name = 'CalibrationFormatError';
    this.problems = problems;
  }
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(CALIBRATION_SCHEMA_FILE, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** One line per fault: the path of the offending value, then what is wrong with it. */
export function describeError(e: ErrorObject): string {
  const at = unescapePointer(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `${at}/${String(params.missingProperty)}: is missing`;
  if (e.keyword === 'additionalProperties') return `${at}/${String(params.additionalProperty)}: is not an allowed field`;
  if (e.keyword === 'propertyNames') return `${at}: has a key that is not a pattern id (letters, digits, underscores)`;
  if (e.keyword === 'enum') return `${at || '/'}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at || '/'}: ${e.message ?? e.keyword}`;
}

/** Checks that the schema cannot express: each pattern entry is stored under its own id. */
function crossChecks(doc: CalibrationDocument): string[] {
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(doc.fusion_profiles ?? {})) {
    if (entry.pattern !== key) problems.push(`/fusion_profiles/${key}/pattern: "${entry.pattern}" differs from its key "${key}"`);
    entry.sizes.forEach((s, i) => {
      if (s.speedup_ci[0] > s.speedup_ci[1]) problems.push(`/fusion_profiles/${key}/sizes/${i}/speedup_ci: lower bound exceeds upper bound`);
    });
  }
  return problems;
}

export function assertValidCalibration(doc: unknown, file: string): asserts doc is CalibrationDocument {
  const validate = validator();
  if (!validate(doc)) {
    const lines = [...new Set((validate.errors ?? []).map(describeError))];
    throw new CalibrationFormatError(file, lines);
  }
  const problems = crossChecks(doc as CalibrationDocument);
  if (problems.length) throw new CalibrationFormatError(file, problems);
}
