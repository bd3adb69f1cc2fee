import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalibration, parseCalibration } from '../../harness/calibration/load.ts';
import { CalibrationFormatError } from '../../harness/calibration/validate.ts';
import { profileFromResults } from '../../harness/calibration/profile.ts';
import { fakeCeilings, fakeResults } from './fixtures/results.ts';

const dir = mkdtempSync(join(tmpdir(), 'fb-cal-'));
function write(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const good = profileFromResults(fakeResults('cpu', [
  { id: 'Conv2d_BN', sizes: [{ magnitude: 100, speedup: 1.05 }, { magnitude: 10000, speedup: 1.25 }, { magnitude: 1000, speedup: 1.2 }] },
  { id: 'Attention_SDPA', sizes: [{ magnitude: 100, speedup: 1.8, correct: false }] },
  { id: 'QKT', sizes: [{ magnitude: 10, speedup: 1, error: 'Error: unsupported' }] },
]), 'cpu', { hardware: 'box', ceilings: fakeCeilings() });

/** A deep copy of the good profile with one change. */
function mutate(f: (d: Record<string, any>) => void): Record<string, unknown> {
  const d = JSON.parse(JSON.stringify(good)) as Record<string, any>;
  f(d);
  return d;
}

function faultsOf(doc: unknown): string[] {
  try {
    parseCalibration(doc, 'bad.json');
  } catch (e) {
    expect(e).toBeInstanceOf(CalibrationFormatError);
    expect((e as Error).message).toMatch(/^bad\.json: not a valid calibration profile/);
    return [...(e as CalibrationFormatError).problems];
  }
  throw new Error('expected the document to be rejected');
}

describe('loadCalibration: a good profile', () => {
  const cal = loadCalibration(write('good.json', good));

  it('exposes hardware, backend, ceilings and fusion_profiles as a map', () => {
    expect(cal.hardware).toBe('box');
    expect(cal.backend).toBe('cpu');
    expect(cal.ceilings?.bandwidth_gbps).toBe(10);
    expect(cal.fusion_profiles).toBeInstanceOf(Map);
    expect([...cal.fusion_profiles.keys()].sort()).toEqual(['Attention_SDPA', 'Conv2d_BN', 'QKT']);
  });

  it('getFusionSpeedup answers the median over sizes; getFusionPattern the whole entry', () => {
    expect(cal.getFusionSpeedup('Conv2d_BN', 9)).toBe(1.2);
    const p = cal.getFusionPattern('Conv2d_BN');
    expect(p?.sizes.map((s) => s.speedup)).toEqual([1.05, 1.2, 1.25]);
    expect(cal.getFusionPattern('Nope')).toBeUndefined();
  });

  it('unknown or unmeasured patterns give the caller\'s default; an incorrect one gives 0', () => {
    expect(cal.getFusionSpeedup('Unknown_Pattern', 1.5)).toBe(1.5);
    expect(cal.getFusionSpeedup('Unknown_Pattern')).toBe(1);
    expect(cal.getFusionSpeedup('QKT', 1.3)).toBe(1.3);
    expect(cal.getFusionSpeedup('Attention_SDPA', 1.3)).toBe(0);
  });
});

describe('loadCalibration: an older profile', () => {
  it('without fusion_profiles loads with an empty map', () => {
    const cal = loadCalibration(write('old.json', { hardware: 'i7-12700K', backend: 'cpu', theoretical_peak_gflops: 1000, operation_profiles: {} }));
    expect(cal.fusion_profiles.size).toBe(0);
    expect(cal.getFusionSpeedup('Conv2d_BN', 1.07)).toBe(1.07);
    expect(cal.ceilings).toBeUndefined();
  });
});

describe('loadCalibration: bad profiles name the path of the fault', () => {
  it('a wrong value deep inside a size', () => {
    expect(faultsOf(mutate((d) => { d.fusion_profiles.Conv2d_BN.sizes[1].speedup = -2; })))
      .toContain('/fusion_profiles/Conv2d_BN/sizes/1/speedup: must be > 0');
  });
  it('a missing field', () => {
    expect(faultsOf(mutate((d) => { delete d.fusion_profiles.Conv2d_BN.sizes[0].fused_ms; })))
      .toContain('/fusion_profiles/Conv2d_BN/sizes/0/fused_ms: is missing');
    expect(faultsOf(mutate((d) => { delete d.hardware; }))).toContain('/hardware: is missing');
  });
  it('a field that is not allowed (a typo)', () => {
    expect(faultsOf(mutate((d) => { d.fusion_profiles.Conv2d_BN.speedupfactor = 1; })))
      .toContain('/fusion_profiles/Conv2d_BN/speedupfactor: is not an allowed field');
  });
  it('a wrong type and a bad enum value', () => {
    const faults = faultsOf(mutate((d) => {
      d.ceilings.matmul_gflops = 'fast';
      d.fusion_profiles.Conv2d_BN.verdict = 'great';
    }));
    expect(faults).toContain('/ceilings/matmul_gflops: must be number');
    expect(faults.some((f) => f.startsWith('/fusion_profiles/Conv2d_BN/verdict: must be one of'))).toBe(true);
  });
  it('an entry stored under another pattern\'s key', () => {
    expect(faultsOf(mutate((d) => { d.fusion_profiles.Conv2d_BN.pattern = 'Conv2d_ReLU'; })))
      .toEqual(['/fusion_profiles/Conv2d_BN/pattern: "Conv2d_ReLU" differs from its key "Conv2d_BN"']);
  });
  it('a confidence interval upside down', () => {
    expect(faultsOf(mutate((d) => { d.fusion_profiles.Conv2d_BN.sizes[0].speedup_ci = [1.2, 1.0]; })))
      .toEqual(['/fusion_profiles/Conv2d_BN/sizes/0/speedup_ci: lower bound exceeds upper bound']);
  });
  it('a file that is not JSON, or not there, is named', () => {
    const notJson = write('broken.json', '{ "hardware": ');
    expect(() => loadCalibration(notJson)).toThrow(new RegExp(`${notJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*not JSON`, 's'));
    expect(() => loadCalibration(join(dir, 'missing.json'))).toThrow(/missing\.json: .*file not found/s);
  });
});
