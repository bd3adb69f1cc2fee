/**
 * MACRO-RESULTS.json is no longer written: a run's pipelines go into results.json. The documents checked in before
 * that change are kept as the record of those runs, and still validate against the schema that describes them.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentProblems, readJsonDocument, schemaValidator } from '../../harness/json-schema.ts';
import { RESULTS_SCHEMA_FILE } from '../../harness/schema.ts';

const REPORTS = fileURLToPath(new URL('../../reports/', import.meta.url));
const checkedIn = readdirSync(REPORTS, { recursive: true, encoding: 'utf8' }).filter((f) => basename(f) === 'MACRO-RESULTS.json').sort();
const validator = schemaValidator(new URL('../../schemas/macro-results.schema.json', import.meta.url), [RESULTS_SCHEMA_FILE]);

describe('checked-in MACRO-RESULTS.json files (written before pipelines went into results.json)', () => {
  it('are the studies this repository ships', () => {
    expect(checkedIn).toEqual(expect.arrayContaining([
      'ternary/cpu-wasm-amd-epyc-2vcpu/MACRO-RESULTS.json',
      'gpu/h100-80gb-hbm3/cuda/MACRO-RESULTS.json',
      'gpu/h100-80gb-hbm3/webgpu/MACRO-RESULTS.json',
    ]));
  });

  it.each(checkedIn)('reports/%s validates against schemas/macro-results.schema.json', (file) => {
    expect(documentProblems(readJsonDocument(join(REPORTS, file)), validator(), () => [])).toEqual([]);
  });
});
