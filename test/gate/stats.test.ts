import { describe, expect, it } from 'vitest';
import { EXACT_LIMIT, exactNullDistribution, mannWhitneyU, normalUpperTail } from '../../harness/gate/mann-whitney.ts';
import { holmAdjust } from '../../harness/gate/holm.ts';
import { evaluateGate } from '../../harness/gate/decide.ts';
import { baselineFromResults } from '../../harness/gate/format.ts';
import { seededRandom } from '../../harness/core/stats.ts';
import { logMedianValue, logSpeedupValue, pooledBetweenRun, runLevelTest, studentTTwoSided } from '../../harness/gate/run-level.ts';
import { normalQuantile } from '../../harness/gate/sensitivity.ts';
import { machineLine, sensitivityLines } from '../../harness/gate/render.ts';
import type { SizeResult } from '../../harness/core/types.ts';
import { DEDICATED, SHARED_RUNNER, slowerBoth, slowerFused, syntheticRun, TYPICAL_ROWS, type NoiseModel, type SyntheticRow } from './synthetic.ts';

const OPTIONS = { maxRegression: 0.05, alpha: 0.05 };

// Reference p-values from scipy 1.17.1: scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method=…).
const A25 = [0.345584, 0.821618, 0.330437, -1.303157, 0.905356, 0.446375, -0.536953, 0.581118, 0.364572, 0.294132, 0.028422, 0.546713, -0.736454, -0.16291, -0.482119, 0.598846, 0.039722, -0.292457, -0.781908, -0.257192, 0.008142, -0.275603, 1.294064, 1.006724, -2.711162];
const B30 = [-1.389013, 0.325228, 0.07781, 0.713643, 0.717322, 2.617839, -0.612021, 0.122395, 2.542772, 1.146703, 1.163063, -0.014006, -1.148075, 0.667465, 0.609014, -0.727352, -0.183227, 0.427956, -0.444752, 0.40173, 0.595483, 0.535586, -0.006292, 1.093748, 1.391167, 0.820848, -0.31823, 1.231652, -0.00144, 1.379161];

describe('Mann–Whitney U', () => {
  it('matches scipy exactly on small samples without ties', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toMatchObject({ u: 0, p: 0.1, pLess: 0.05, pGreater: 1, method: 'exact' });
    const r = mannWhitneyU([1.1, 2.3, 0.4, 5.6, 3.3, 2.2, 7.1, 0.9], [3.4, 6.6, 8.1, 4.2, 5.5, 9.9, 2.8]);
    expect(r.u).toBe(10);
    expect(r.p).toBeCloseTo(0.04009324009324009, 12);
    expect(r.pLess).toBeCloseTo(0.020046620046620046, 12);
    expect(r.pGreater).toBeCloseTo(0.9855477855477855, 12);
    const s = mannWhitneyU(A25, B30);
    expect(s.u).toBe(275);
    expect(s.method).toBe('exact');
    expect(s.p).toBeCloseTo(0.09275667524528056, 10);
  });

  it('uses the tie-corrected normal approximation, as scipy does, when values tie', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6, 6]);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(8.5);
    expect(r.p).toBeCloseTo(0.025144761173357368, 5);
    expect(r.pLess).toBeCloseTo(0.012572380586678684, 5);
    expect(r.pGreater).toBeCloseTo(0.9907889372729505, 5);
  });

  it('exact null distributions sum to one and are symmetric', () => {
    for (const [m, n] of [[1, 1], [3, 5], [20, 20], [EXACT_LIMIT, 40]]) {
      const d = exactNullDistribution(m, n);
      expect(d.length).toBe(m * n + 1);
      expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
      for (let u = 0; u < d.length; u++) expect(d[u]).toBeCloseTo(d[d.length - 1 - u], 14);
    }
  });

  it('normal tail: 1 − Φ(1.96) ≈ 0.025 and far tails stay positive', () => {
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
    expect(normalUpperTail(8)).toBeGreaterThan(0);
    expect(normalUpperTail(8)).toBeLessThan(1e-14);
  });

  it('rejects at about α under the null (2000 pairs of identical distributions)', () => {
    const rand = seededRandom(7);
    let rejections = 0;
    for (let t = 0; t < 2000; t++) {
      const x = Array.from({ length: 20 }, () => Math.exp(0.1 * rand()));
      const y = Array.from({ length: 20 }, () => Math.exp(0.1 * rand()));
      if (mannWhitneyU(x, y).p < 0.05) rejections++;
    }
    // Binomial(2000, ≤ 0.05): sd ≈ 10. The exact test is slightly conservative because U is discrete.
    expect(rejections).toBeGreaterThan(60);
    expect(rejections).toBeLessThan(125);
  });

  it('refuses empty or non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/non-empty/);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(/non-finite/);
  });
});

describe('Holm adjustment', () => {
  it('matches the step-down formula, in input order', () => {
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => expect(adj[i]).toBeCloseTo(want, 12));
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

/** Gate `runs` synthetic current runs against one synthetic baseline of `baselineRuns` runs; returns the failing rows of each. */
function gateMany(baseRows: readonly SyntheticRow[], curRows: readonly SyntheticRow[], runs: number, seed: number, opts: { baselineRuns?: number; model?: NoiseModel } = {}) {
  const model = opts.model ?? SHARED_RUNNER;
  const baseRuns = Array.from({ length: opts.baselineRuns ?? 1 }, (_, i) => ({ file: `b${i}`, results: syntheticRun(baseRows, { seed: seed + 10_000 + i, model }) }));
  const { baseline } = baselineFromResults(baseRuns);
  return Array.from({ length: runs }, (_, i) => {
    const report = evaluateGate({ baseline, baselineName: 'b', current: syntheticRun(curRows, { seed: seed + 1 + i, model }), currentName: 'c' }, OPTIONS);
    return report.rows.filter((r) => r.class === 'fail');
  });
}

const conv = (r: { readonly pattern: string }): boolean => r.pattern === 'Conv_BN_ReLU';

describe('gate statistics on synthetic runs', () => {
  it('finds nothing when a run is gated against a baseline made from itself', () => {
    const run = syntheticRun(TYPICAL_ROWS, { seed: 9 });
    const report = evaluateGate({ baseline: baselineFromResults({ file: 'b', results: run }).baseline, baselineName: 'b', current: run, currentName: 'c' }, OPTIONS);
    expect(report.exitCode).toBe(0);
    for (const r of report.rows) {
      expect(r.class).toBe('unchanged');
      expect(r.speedup!.change).toBe(0);
      expect(r.speedup!.pWorse).toBeGreaterThan(0.5);
      expect(r.speedup!.pBetter).toBeGreaterThan(0.5);
    }
  });

  // Holm keeps the chance of any false alarm in a run at ≤ α = 5%, and the 5% threshold lowers it further.
  // Each case gates 200 runs of unchanged code (5 baselines × 40 runs × 5 rows) on the shared-runner model:
  // at most 5 runs (2.5%) may raise an alarm. Testing fused times per round instead fails by far (below).
  it('keeps false alarms on identical distributions under α, one baseline run (speedup tested)', () => {
    let alarms = 0;
    for (let b = 0; b < 5; b++) alarms += gateMany(TYPICAL_ROWS, TYPICAL_ROWS, 40, 1000 * (b + 1)).filter((f) => f.length > 0).length;
    expect(alarms).toBeLessThanOrEqual(5);
  });

  it('keeps false alarms on identical distributions under α, three baseline runs (speedup and fused time tested)', () => {
    let alarms = 0;
    for (let b = 0; b < 5; b++) alarms += gateMany(TYPICAL_ROWS, TYPICAL_ROWS, 40, 7000 * (b + 1), { baselineRuns: 3 }).filter((f) => f.length > 0).length;
    expect(alarms).toBeLessThanOrEqual(5);
  });

  it('would cry wolf if fused times were tested per round: runs of a shared machine move as a whole', () => {
    // The reason for the run-level test: the same data, per-round Mann–Whitney on fused times.
    const runs = Array.from({ length: 40 }, (_, i) => syntheticRun(TYPICAL_ROWS, { seed: 300 + i }));
    let significant = 0;
    for (let i = 1; i < runs.length; i++) {
      const f = (r: typeof runs[number]) => r.patterns[0].results[0].fused!.samplesMs;
      if (mannWhitneyU(f(runs[i]), f(runs[0])).p < 0.05 / 10) significant++;
    }
    expect(significant).toBeGreaterThan(10);
  });

  it('catches a fused path doing 15% more work in at least 95 of 100 runs, on the rows that changed only', () => {
    const runs = gateMany(TYPICAL_ROWS, slowerFused(TYPICAL_ROWS, 0.15, conv), 100, 42);
    const caught = runs.filter((f) => f.filter(conv).length === 2).length;
    expect(caught).toBeGreaterThanOrEqual(95);
    // Unchanged rows alongside: false alarms stay within the A/A bound (≤ 5 of 100 runs).
    expect(runs.filter((f) => f.some((r) => !conv(r))).length).toBeLessThanOrEqual(5);
    const regression = runs[0].find(conv)!;
    expect(regression.failures).toContainEqual({ kind: 'regression', metrics: ['speedup'] });
    expect(regression.speedup!.change).toBeLessThan(-0.05);
    // One baseline run: fused time, where compared at all, is reported but never tested.
    for (const r of runs.flat()) expect(r.fusedTime?.outcome ?? 'untested').toBe('untested');
  });

  it('catches a 15% rise in fused time that leaves the speedup alone, given 5 baseline runs of a steady machine', () => {
    // Shared code of the two Conv rows got slower: both variants, so the speedup did not move.
    const runs = gateMany(TYPICAL_ROWS, slowerBoth(TYPICAL_ROWS, 0.15, conv), 20, 77, { baselineRuns: 5, model: DEDICATED });
    const caughtRows = runs.flat().filter((r) => r.failures.some((f) => f.kind === 'regression' && f.metrics.includes('fused time')));
    expect(caughtRows.length).toBeGreaterThanOrEqual(0.9 * 20 * 2);
    expect(caughtRows.every(conv)).toBe(true);
    expect(runs.flat().filter((r) => r.failures.some((f) => f.kind === 'regression' && f.metrics.includes('speedup'))).length).toBe(0);
  });

  it('does not compare fused times when the whole machine got slower, and says so', () => {
    const { baseline } = baselineFromResults([1, 2, 3].map((seed) => ({ file: `b${seed}`, results: syntheticRun(TYPICAL_ROWS, { seed, model: DEDICATED }) })));
    const slow = syntheticRun(slowerBoth(TYPICAL_ROWS, 0.3), { seed: 9, model: DEDICATED });
    const report = evaluateGate({ baseline, baselineName: 'b', current: slow, currentName: 'c' }, OPTIONS);
    expect(report.exitCode).toBe(0);
    expect(report.timesCompared).toBe(false);
    expect(report.timesSkipped).toBe('machine speed changed');
    expect(report.unfusedDrift!.change).toBeCloseTo(0.3, 1);
    expect(report.rows.every((r) => r.fusedTime === undefined)).toBe(true);
    expect(machineLine(report)).toMatch(/its speed changed: unfused times moved by \+3\d\.\d% \(median of 5 compared rows\).*fused times are not compared this run; speedups are/);
    // --times off: never, whatever the machine did.
    const off = evaluateGate({ baseline, baselineName: 'b', current: syntheticRun(slowerBoth(TYPICAL_ROWS, 0.3, conv), { seed: 9, model: DEDICATED }), currentName: 'c' }, { ...OPTIONS, times: 'off' });
    expect(off.timesSkipped).toBe('turned off');
    expect(off.exitCode).toBe(0);
  });

  it('needs both the threshold and significance', () => {
    const quiet: NoiseModel = { run: 0, noise: 0.002, drift: 0.002, spikes: 0 };
    const row: SyntheticRow = { pattern: 'P', size: 's', unfusedMs: 10, fusedMs: 5, rounds: 30 };
    const gate = (fusedMs: number, model = quiet) => {
      const { baseline } = baselineFromResults({ file: 'b', results: syntheticRun([row], { seed: 1, model }) });
      return evaluateGate({ baseline, baselineName: 'b', current: syntheticRun([{ ...row, fusedMs }], { seed: 2, model }), currentName: 'c' }, OPTIONS).rows[0];
    };
    // 3% slower: highly significant, but within the 5% threshold.
    const small = gate(5 * 1.03);
    expect(small.speedup!.pWorseAdjusted).toBeLessThan(1e-6);
    expect(small.class).toBe('unchanged');
    // 10% slower: beyond the threshold and significant.
    expect(gate(5 * 1.1).class).toBe('fail');
    // 10% slower but buried in noise (sd 60% per sample, 30 rounds): not significant, not an alarm.
    const noisy = gate(5 * 1.1, { run: 0, noise: 0.6, drift: 0.6, spikes: 0.2 });
    expect(noisy.speedup!.pWorseAdjusted).toBeGreaterThan(0.05);
    expect(noisy.class).not.toBe('fail');
  });

  it('reports a significant rise in speedup beyond the threshold as an improvement, not a failure', () => {
    const faster = slowerFused(TYPICAL_ROWS, -0.2, (r) => r.pattern === 'Attention_Softmax');
    const { baseline } = baselineFromResults({ file: 'b', results: syntheticRun(TYPICAL_ROWS, { seed: 5 }) });
    const report = evaluateGate({ baseline, baselineName: 'b', current: syntheticRun(faster, { seed: 6 }), currentName: 'c' }, OPTIONS);
    expect(report.exitCode).toBe(0);
    expect(report.rows[0].class).toBe('improvement');
    expect(report.rows[0].pattern).toBe('Attention_Softmax');
  });
});

describe('run-level test', () => {
  // Reference values from scipy 1.17.1: 2 * scipy.stats.t.sf(|t|, df).
  it('Student t p-values match scipy', () => {
    for (const [t, df, p] of [[2.0, 4, 0.11611652351681556], [0.5, 1, 0.7048327646991335], [6.0, 2, 0.02667147321542477], [10, 30, 4.575251408229618e-11], [-3, 7, 0.019942126131992536]]) {
      expect(studentTTwoSided(t, df) / p).toBeCloseTo(1, 8);
    }
  });

  it('run-level test: adds the pooled between-run variance to the within-run errors', () => {
    const base = [{ value: 0.1, within: 0.0001 }, { value: 0.12, within: 0.0001 }, { value: 0.08, within: 0.0001 }];
    const pooled = pooledBetweenRun([base])!;
    // sample variance of 0.10, 0.12, 0.08 is 0.0004; minus the mean within variance 0.0001.
    expect(pooled.tau2).toBeCloseTo(0.0003, 12);
    expect(pooled.df).toBe(2);
    const r = runLevelTest(base, { value: 0.2, within: 0.0001 }, pooled);
    const se = Math.sqrt(0.0001 + 0.0003 + (0.0001 + 0.0003) / 3);
    expect(r.se).toBeCloseTo(se, 12);
    expect(r.ratio).toBeCloseTo(Math.exp(0.1), 12);
    expect(r.pHigher).toBeCloseTo(studentTTwoSided(0.1 / se, 2) / 2, 12);
    expect(r.pLower).toBeCloseTo(1 - r.pHigher, 12);
    // Runs that agree better than their rounds predict: τ² is clamped at 0, not negative.
    expect(pooledBetweenRun([[{ value: 0, within: 1 }, { value: 0, within: 1 }]])!.tau2).toBe(0);
    expect(pooledBetweenRun([[{ value: 0, within: 1 }]])).toBeUndefined();
    expect(() => runLevelTest([base[0]], base[1], pooled)).toThrow(/two baseline runs/);
  });

  it('with margins, tests a fall beyond the threshold rather than any fall', () => {
    const base = [{ value: 0, within: 1e-4 }, { value: 0.01, within: 1e-4 }, { value: -0.01, within: 1e-4 }];
    const pooled = { tau2: 1e-4, df: 60 };
    const current = { value: Math.log(0.93), within: 1e-4 };
    const plain = runLevelTest(base, current, pooled, 3);
    const margins = { lower: -Math.log(0.95), higher: Math.log(1.05) };
    const beyond = runLevelTest(base, current, pooled, 3, [], margins);
    // A 7% fall with a standard error of ~1.4%: clearly below 1, not clearly below 0.95.
    expect(plain.pLower).toBeLessThan(1e-4);
    expect(beyond.pLower).toBeGreaterThan(0.01);
    expect(beyond.se).toBe(plain.se);
    expect(beyond.pLower).toBeCloseTo(studentTTwoSided((Math.log(0.93) - Math.log(0.95)) / beyond.se, 60) / 2, 12);
    // A 20% fall is beyond the margin by many standard errors.
    expect(runLevelTest(base, { value: Math.log(0.8), within: 1e-4 }, pooled, 3, [], margins).pLower).toBeLessThan(1e-6);
  });

  it('pools τ² over many rows by their median, so a few rows of processes in two states do not set it for all', () => {
    // 30 quiet rows (3 processes within ±1%) and 3 rows whose processes split 2.4× apart (wasm on the 2-core VM).
    const quiet = Array.from({ length: 30 }, (_, i) => [-0.01, 0, 0.01].map((v) => ({ value: v + i * 0.1, within: 1e-6 })));
    const split = Array.from({ length: 3 }, () => [0, 0, Math.log(2.4)].map((v) => ({ value: v, within: 1e-6 })));
    const pooled = pooledBetweenRun([...quiet, ...split])!;
    // Each quiet row: sample variance 1e-4, scaled by 1 / median(χ²₂ / 2) = 1 / ln 2, less its within variance.
    expect(pooled.tau2 / (1e-4 / Math.LN2 - 1e-6)).toBeCloseTo(1, 4);
    expect(pooled.df).toBe(66);
    // The mean of the rows' excess variances would have been over 20× larger.
    const meanExcess = ([...quiet, ...split].reduce((s, r) => {
      const m = r.reduce((t, u) => t + u.value, 0) / r.length;
      return s + r.reduce((t, u) => t + (u.value - m) ** 2, 0) / 2 - 1e-6;
    }, 0)) / 33;
    expect(meanExcess / pooled.tau2).toBeGreaterThan(20);
  });

  it('values of a run: log median, and the paired median of per-round speedups', () => {
    expect(logMedianValue([1, 2, 4]).value).toBeCloseTo(Math.log(2), 12);
    // Per-round speedups 2, 2, 2 whatever the medians of each variant.
    expect(logSpeedupValue([2, 8, 4], [1, 4, 2]).value).toBeCloseTo(Math.log(2), 12);
    expect(logSpeedupValue([2, 8, 4], [1, 4, 2]).within).toBe(0);
  });
});

describe('sensitivity', () => {
  it('normal quantiles match scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 8);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 7);
  });

  it('names the rows too noisy to show a regression of twice the threshold, and only those', () => {
    const rows: SyntheticRow[] = [{ pattern: 'Quiet', size: 'q', unfusedMs: 4, fusedMs: 3 }, { pattern: 'Loud', size: 'l', unfusedMs: 4, fusedMs: 3 }];
    const quiet: NoiseModel = { run: 0.01, noise: 0.01, drift: 0.01, spikes: 0 };
    const loud: NoiseModel = { run: 0.3, noise: 0.4, drift: 0.3, spikes: 0.2 };
    const base = syntheticRun(rows, { seed: 1, model: quiet });
    const cur = syntheticRun(rows, { seed: 2, model: quiet });
    const noisy = syntheticRun(rows, { seed: 3, model: loud });
    (cur.patterns[1].results as SizeResult[])[0] = noisy.patterns[1].results[0]; // only Loud's rounds are noisy
    const report = evaluateGate({ baseline: baselineFromResults({ file: 'b', results: base }).baseline, baselineName: 'b', current: cur, currentName: 'c' }, OPTIONS);
    const quietRow = report.rows.find((r) => r.pattern === 'Quiet')!;
    const loudRow = report.rows.find((r) => r.pattern === 'Loud')!;
    expect(quietRow.detectableFall!).toBeLessThan(0.03);
    expect(loudRow.detectableFall!).toBeGreaterThan(0.2);
    const lines = sensitivityLines(report).join('\n');
    expect(lines).toMatch(/⚠ Too noisy to see a 5% regression in 1 of 2 compared rows: Loud · cpu · l \(≈ \d+(\.\d+)?%\)/);
    expect(lines).not.toMatch(/Quiet ·/);
  });
});
