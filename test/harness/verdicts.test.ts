import { describe, expect, it } from 'vitest';
import { comparePrediction, decisionFor, judge, verdictFor, verdictText } from '../../harness/core/verdicts.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';

const prediction = { min: 1.0, max: 1.3, source: 'test' };

describe('verdict thresholds, at and around each boundary', () => {
  it.each([
    [2.0, '✓ Strong benefit'],
    [1.5, '✓ Strong benefit'],
    [1.4999, '✓ Moderate benefit'],
    [1.1, '✓ Moderate benefit'],
    [1.0999, '⚠ Minimal benefit'],
    [1.0, '⚠ Minimal benefit'],
    [0.95, '⚠ Minimal benefit'],
    [0.9499, '✗ Fusion is slower'],
    [0.5, '✗ Fusion is slower'],
    [Number.NaN, '✗ Fusion is slower'],
  ])('%f× → %s', (speedup, verdict) => {
    expect(verdictFor(speedup)).toBe(verdict);
  });

  it.each([
    [1.1, 'Deploy + Expand'],
    [1.0999, 'Deploy, stop expansion'],
    [1.05, 'Deploy, stop expansion'],
    [1.0499, 'Re-evaluate'],
    [0.7, 'Re-evaluate'],
  ])('decision at %f× → %s', (speedup, decision) => {
    expect(decisionFor(speedup)).toBe(decision);
  });
});

describe('judging an interval', () => {
  it('marks an interval that straddles a threshold inconclusive and gives both sides', () => {
    const j = judge({ ratio: 1.12, lo: 1.05, hi: 1.2 }, true, prediction);
    expect(j.verdict).toBe('✓ Moderate benefit');
    expect(j.inconclusive).toEqual({ lo: '⚠ Minimal benefit', hi: '✓ Moderate benefit' });
    expect(verdictText(j)).toBe('inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit');
  });

  it('is conclusive when the whole interval has one verdict', () => {
    const j = judge({ ratio: 1.7, lo: 1.6, hi: 1.8 }, true, prediction);
    expect(j.inconclusive).toBeUndefined();
    expect(j.decision).toBe('Deploy + Expand');
  });

  it('says ✗ Incorrect for a wrong fused result, whatever its speed', () => {
    const j = judge({ ratio: 5, lo: 4.5, hi: 5.5 }, false, prediction);
    expect(j.verdict).toBe('✗ Incorrect');
    expect(j.decision).toBe('Re-evaluate');
  });

  it('compares with the prediction in percentage points', () => {
    expect(comparePrediction(1.42, prediction)).toBe('exceeds prediction by 12 pts');
    expect(comparePrediction(0.7, prediction)).toBe('falls short of prediction by 30 pts');
    expect(comparePrediction(1.2, prediction)).toBe('within prediction');
  });
});

describe('config overrides', () => {
  it('overrides one threshold and keeps the rest', () => {
    const c = mergeConfig(defaultConfig, { verdicts: { strong: 1.4 } });
    expect(c.verdicts).toEqual({ strong: 1.4, moderate: 1.1, minimal: 0.95 });
    expect(verdictFor(1.45, c.verdicts)).toBe('✓ Strong benefit');
  });
  it('names an unknown field', () => {
    expect(() => mergeConfig(defaultConfig, { verdicts: { strng: 1.4 } } as never)).toThrow(/verdicts\.strng/);
    expect(() => mergeConfig(defaultConfig, { nope: 1 } as never)).toThrow(/"nope"/);
  });
});
