/** Reading calibration profiles from disk; every failure names the file, and a schema fault its JSON path. */
import { readFileSync } from 'node:fs';
import { Calibration } from './calibration.ts';
import { assertValidCalibration, CalibrationFormatError } from './validate.ts';

/** Validates an already-parsed document; `name` is used in error messages. */
export function parseCalibration(doc: unknown, name: string): Calibration {
  assertValidCalibration(doc, name);
  return new Calibration(doc, name);
}

export function loadCalibration(path: string): Calibration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CalibrationFormatError(path, [err.code === 'ENOENT' ? 'file not found' : `cannot read: ${err.message}`]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CalibrationFormatError(path, [`not JSON: ${(e as Error).message}`]);
  }
  return parseCalibration(doc, path);
}
