import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { gateFromEnv } from '../../harness/gate/env.ts';
import { baselineFromResults } from '../../harness/gate/format.ts';
import { COMMENT_MARKER } from '../../harness/gate/render.ts';
import { captured, scratch, type Scratch } from './helpers.ts';
import { DEDICATED, slowerFused, syntheticRun, TYPICAL_ROWS } from './synthetic.ts';

let s: Scratch;
let baseline: string;
beforeEach(() => {
  s = scratch();
  baseline = s.write('baseline.json', baselineFromResults({ file: 'run.json', results: syntheticRun(TYPICAL_ROWS, { seed: 1, model: DEDICATED }) }).baseline);
});
afterEach(() => s.remove());

const unchanged = () => syntheticRun(TYPICAL_ROWS, { seed: 2, model: DEDICATED });
const regressed = () => syntheticRun(slowerFused(TYPICAL_ROWS, 0.15), { seed: 2, model: DEDICATED });

describe('gateFromEnv (vitest and fusebench run)', () => {
  it('is silent and returns 0 when FUSEBENCH_BASELINE is unset or empty', async () => {
    for (const env of [{}, { FUSEBENCH_BASELINE: '' }]) {
      const r = await captured(() => gateFromEnv(regressed(), env));
      expect(r.value).toBe(0);
      expect(r.out + r.err).toBe('');
    }
  });

  it('returns what the gate command would: 0 unchanged, 1 regression, and prints the table', async () => {
    expect((await captured(() => gateFromEnv(unchanged(), { FUSEBENCH_BASELINE: baseline }))).value).toBe(0);
    const r = await captured(() => gateFromEnv(regressed(), { FUSEBENCH_BASELINE: baseline }));
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/\| pattern +\| backend/);
    expect(r.out).toMatch(/✗ regression \(speedup\)/);
    expect(r.out).toMatch(/fusebench gate: ✗ failed: 5 regressions \(exit 1\)/);
  });

  it('honours FUSEBENCH_MAX_REGRESSION, FUSEBENCH_ALPHA and FUSEBENCH_GATE_COMMENT', async () => {
    const comment = s.path('gate.md');
    const lenient = await captured(() => gateFromEnv(regressed(), { FUSEBENCH_BASELINE: baseline, FUSEBENCH_MAX_REGRESSION: '20%', FUSEBENCH_ALPHA: '0.01', FUSEBENCH_GATE_COMMENT: comment }));
    expect(lenient.value).toBe(0); // a 13% fall is within a 20% threshold
    expect(existsSync(comment)).toBe(true);
    const md = readFileSync(comment, 'utf8');
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md).toMatch(/more than 20% that is significant at α = 0\.01/);
  });

  it('returns 2, naming the variable or file, for unusable settings', async () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ FUSEBENCH_BASELINE: s.path('missing.json') }, /baseline file not found: .*missing\.json/],
      [{ FUSEBENCH_BASELINE: baseline, FUSEBENCH_ALPHA: 'often' }, /FUSEBENCH_ALPHA: "often"/],
      [{ FUSEBENCH_BASELINE: baseline, FUSEBENCH_MAX_REGRESSION: '150%' }, /FUSEBENCH_MAX_REGRESSION: "150%" must lie strictly between/],
    ];
    for (const [env, message] of cases) {
      const r = await captured(() => gateFromEnv(unchanged(), env));
      expect(r.value).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
