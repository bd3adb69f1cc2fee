/**
 * Input checks shared by every backend's ternary kernels.
 *
 * dtype and shape are always checked (free). Values are checked only while validation is on, because the
 * check is one more read of every input: on by default, off with FUSEBENCH_TERNARY_VALIDATE=0, with
 * `setTernaryValidation(false)`, or per call with the attr `validate: false` (what the benchmarks do: their
 * inputs come from `trits()` and every result is compared with the reference anyway).
 */
import type { DataType } from '@tensorflow/tfjs-core';

export const VALIDATE_ENV = 'FUSEBENCH_TERNARY_VALIDATE';
const HOW_TO_DISABLE = `${VALIDATE_ENV}=0, setTernaryValidation(false) or the attr validate: false turn this check off for benchmarking`;

export class TernaryValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TernaryValueError';
  }
}

export class TernaryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TernaryInputError';
  }
}

let override: boolean | undefined;

/** Turns value validation on or off for every later call; `undefined` goes back to the environment variable. */
export function setTernaryValidation(on: boolean | undefined): void {
  override = on;
}

/** Whether inputs are checked for values outside {−1, 0, 1} (override, else the environment, else on). */
export function ternaryValidationEnabled(): boolean {
  if (override !== undefined) return override;
  const raw = typeof process === 'undefined' ? undefined : process.env[VALIDATE_ENV];
  if (raw === undefined || raw === '') return true;
  const v = raw.trim().toLowerCase();
  if (v === '0' || v === 'false' || v === 'off') return false;
  if (v === '1' || v === 'true' || v === 'on') return true;
  throw new TernaryInputError(`${VALIDATE_ENV} must be 0 or 1 (got "${raw}")`);
}

/** The attr `validate` wins when present; otherwise the global setting. */
export function shouldValidate(attrs: Readonly<Record<string, unknown>> | undefined): boolean {
  const v = attrs?.validate;
  if (v === undefined) return ternaryValidationEnabled();
  if (typeof v !== 'boolean') throw new TernaryInputError(`attr "validate" must be a boolean (got ${JSON.stringify(v)})`);
  return v;
}

export interface InputInfo {
  readonly dtype: DataType;
  readonly shape: readonly number[];
}

/** int32 only, all the same shape (no broadcasting: a bias is tiled once by the caller). */
export function checkInputs(kernel: string, names: readonly string[], infos: readonly (InputInfo | undefined)[]): void {
  infos.forEach((t, i) => {
    if (t === undefined || t === null) throw new TernaryInputError(`${kernel}: input "${names[i]}" is missing`);
    if (t.dtype !== 'int32') {
      throw new TernaryInputError(`${kernel}: input "${names[i]}" has dtype ${t.dtype}; ternary ops take int32 tensors of trits (tfjs has no int8)`);
    }
  });
  const first = infos[0]!.shape;
  infos.forEach((t, i) => {
    if (t!.shape.length !== first.length || t!.shape.some((d, j) => d !== first[j])) {
      throw new TernaryInputError(`${kernel}: input "${names[i]}" has shape [${t!.shape.join(',')}] but "${names[0]}" has [${first.join(',')}]; ternary ops do not broadcast`);
    }
  });
}

/** Throws TernaryValueError at the first value outside {−1, 0, 1}, naming the kernel, input, index and value. */
export function checkTrits(values: Int32Array, kernel: string, inputName: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 1 || v < -1) {
      throw new TernaryValueError(
        `${kernel}: input "${inputName}" holds ${v} at flat index ${i}; trits must be −1, 0 or +1 (${HOW_TO_DISABLE})`,
      );
    }
  }
}
