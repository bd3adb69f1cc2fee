import { describe, expect, it } from 'vitest';
import { comparePrediction, decisionFor, judge, verdictFor } from '../../harness/core/verdicts.ts';
import { predictionDeltaText, verdictLabel, verdictText } from '../../harness/report/format.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';

const prediction = { min: 1.0, max: 1.3, source: 'test' };

describe('verdict thresholds, at and around each boundary', () => {
  it.each([
    [2.0, 'strong'],
    [1.5, 'strong'],
    [1.4999, 'moderate'],
    [1.1, 'moderate'],
    [1.0999, 'minimal'],
    [1.0, 'minimal'],
    [0.95, 'minimal'],
    [0.9499, 'slower'],
    [0.5, 'slower'],
    [Number.NaN, 'slower'],
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
    const j = judge({ ratio: 1.12, lo: 1.05, hi: 1.2 }, true, defaultConfig);
    expect(j.verdict).toBe('moderate');
    expect(j.inconclusive).toEqual({ lo: 'minimal', hi: 'moderate' });
    expect(verdictText(j)).toBe('inconclusive: ⚠ Minimal benefit … ✓ Moderate benefit');
  });

  it('is conclusive when the whole interval has one verdict', () => {
    const j = judge({ ratio: 1.7, lo: 1.6, hi: 1.8 }, true, defaultConfig);
    expect(j.inconclusive).toBeUndefined();
    expect(j.decision).toBe('Deploy + Expand');
  });

  it('says ✗ Incorrect for a wrong fused result, whatever its speed', () => {
    const j = judge({ ratio: 5, lo: 4.5, hi: 5.5 }, false, defaultConfig);
    expect(j.verdict).toBe('incorrect');
    expect(verdictText(j)).toBe('✗ Incorrect');
    expect(j.decision).toBe('Re-evaluate');
  });

  it('compares with the prediction in percentage points', () => {
    expect(comparePrediction(1.42, prediction)).toEqual({ position: 'above', pts: 12 });
    expect(predictionDeltaText(comparePrediction(1.42, prediction))).toBe('exceeds prediction by 12 pts');
    expect(predictionDeltaText(comparePrediction(0.7, prediction))).toBe('falls short of prediction by 30 pts');
    expect(predictionDeltaText(comparePrediction(1.2, prediction))).toBe('within prediction');
  });
});

describe('verdict keys in words (the one formatter)', () => {
  it.each([
    ['strong', '✓ Strong benefit'],
    ['moderate', '✓ Moderate benefit'],
    ['minimal', '⚠ Minimal benefit'],
    ['slower', '✗ Fusion is slower'],
    ['incorrect', '✗ Incorrect'],
  ] as const)('%s → %s', (key, words) => {
    expect(verdictLabel(key)).toBe(words);
  });

  it('judges the same interval differently under other thresholds: verdicts belong to the render, not the data', () => {
    const strict = mergeConfig(defaultConfig, { verdicts: { moderate: 1.3 } });
    const s = { ratio: 1.2, lo: 1.15, hi: 1.25 };
    expect(judge(s, true, defaultConfig).verdict).toBe('moderate');
    expect(judge(s, true, strict).verdict).toBe('minimal');
  });
});

describe('config overrides', () => {
  it('overrides one threshold and keeps the rest', () => {
    const c = mergeConfig(defaultConfig, { verdicts: { strong: 1.4 } });
    expect(c.verdicts).toEqual({ strong: 1.4, moderate: 1.1, minimal: 0.95 });
    expect(verdictFor(1.45, c.verdicts)).toBe('strong');
  });
  it('names an unknown field', () => {
    expect(() => mergeConfig(defaultConfig, { verdicts: { strng: 1.4 } } as never)).toThrow(/verdicts\.strng/);
    expect(() => mergeConfig(defaultConfig, { nope: 1 } as never)).toThrow(/"nope"/);
  });
});
