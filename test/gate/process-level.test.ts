/**
 * The gate on runs measured in several processes: every process is a unit of the run-level test, so a one-run
 * baseline already estimates the spread between processes. Synthetic runs where each process has its own state
 * (a factor per process and variant, as JIT tiers and heap layouts give) with known truth.
 */
import { describe, expect, it } from 'vitest';
import type { RunResults, SizeResult } from '../../harness/core/types.ts';
import { median, seededRandom } from '../../harness/core/stats.ts';
import { baselineFromResults } from '../../harness/gate/format.ts';
import { evaluateGate } from '../../harness/gate/decide.ts';
import { MACHINE } from './synthetic.ts';

const gaussian = (rand: () => number): number => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());

/** One size measured in `processes` processes of `rounds` rounds; each process shifts each variant by its own factor (log-sd 0.08). */
function run(seed: number, fusedMs: number, opts: { processes: number; keepProcesses: boolean; slowProcess?: number }): RunResults {
  const rand = seededRandom(seed);
  const u: number[] = [], f: number[] = [], procs: NonNullable<SizeResult['processes']>[number][] = [];
  for (let p = 0; p < opts.processes; p++) {
    // slowProcess: that process's fused calls land in a slow state (2.4×), as seen on wasm in one of two processes.
    const pu = Math.exp(0.08 * gaussian(rand)), pf = Math.exp(0.08 * gaussian(rand)) * (p === opts.slowProcess ? 2.4 : 1);
    const pu0 = u.length;
    // A slow process adapts to more rounds (its samples are noisier), so the pooled median lands in its mode.
    const rounds = p === opts.slowProcess ? 36 : 12;
    for (let r = 0; r < rounds; r++) {
      const drift = Math.exp(0.03 * gaussian(rand));
      u.push(2 * pu * drift * Math.exp(0.01 * gaussian(rand)));
      f.push(fusedMs * pf * drift * Math.exp(0.01 * gaussian(rand)));
    }
    const mu = median(u.slice(pu0)), mf = median(f.slice(pu0));
    procs.push({ rounds, unfusedMs: mu, fusedMs: mf, speedup: mu / mf });
  }
  const variant = (s: number[]) => ({ throughputMs: median(s), latencyMs: median(s), p10Ms: Math.min(...s), p90Ms: Math.max(...s), samplesMs: s, kernels: ['K'], bytesAllocated: 1, gflops: 1, gbps: 1 });
  const ratio = median(u) / median(f);
  const size: SizeResult = {
    backend: 'cpu', size: 'n', params: { n: 1 }, magnitude: 1, status: 'ok', cost: { flops: 1, bytesUnfused: 2, bytesFused: 1, intermediateBytes: 1 },
    correctness: { unfused: { maxAbs: 0, maxRel: 0, ok: true }, fused: { maxAbs: 0, maxRel: 0, ok: true } },
    unfused: variant(u), fused: variant(f), speedup: { ratio, lo: ratio * 0.9, hi: ratio * 1.1 }, memoryReduction: 0,
    ...(opts.keepProcesses ? { processes: procs } : {}),
  };
  return {
    schema: 'fusebench/results@1', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seed)).toISOString(), command: `run ${seed}`, quick: true, machine: MACHINE,
    sampling: { rounds: 12, warmup: 1, bootstrap: 100, timing: 'synthetic', method: 'pipelined' },
    backends: [{ name: 'cpu', kind: 'cpu', available: true }],
    patterns: [{ id: 'P', family: 'f', title: 'P', file: 'p.bench.ts', fusedBy: 'fusebench kernel', standsFor: [], notes: [], predictions: { cpu: { min: 1, max: 2, source: 's' }, gpu: { min: 1, max: 2, source: 's' } }, results: [size] }],
  };
}

function alarms(keepProcesses: boolean, fusedMsCurrent: number): number {
  let n = 0;
  for (let s = 0; s < 40; s++) {
    const base = baselineFromResults({ file: `b${s}.json`, results: run(1000 + s, 1, { processes: 3, keepProcesses }) }).baseline;
    const report = evaluateGate({ baseline: base, baselineName: 'b', current: run(5000 + s, fusedMsCurrent, { processes: 3, keepProcesses }), currentName: 'c' }, { maxRegression: 0.05, alpha: 0.05, times: 'off' });
    if (report.rows.some((r) => r.class === 'fail')) n++;
  }
  return n;
}

describe('gate: process-level test for runs of several processes', () => {
  it('does not cry wolf where the rounds of one process would (A/A, 40 pairs of one-run baselines)', () => {
    const withProcesses = alarms(true, 1);
    const roundsOnly = alarms(false, 1);
    console.log(`A/A alarms in 40 pairs: ${withProcesses} with processes as units, ${roundsOnly} on rounds only`);
    expect(withProcesses).toBeLessThanOrEqual(4);
    expect(roundsOnly).toBeGreaterThan(withProcesses + 10);
  });

  it('still catches a 30% slower fused variant in many pairs, with one row and so few degrees of freedom', () => {
    // One row of 3 + 3 processes, each process ±11% on its own: a fall must be significantly beyond the 5%
    // threshold, not merely beyond 0 (18 of 40 caught; 20 of 40 when the test's margin was 0).
    expect(alarms(true, 1.3)).toBeGreaterThanOrEqual(16);
  });

  it('does not call a row regressed when the current run\'s own processes disagree (one fast, one slow state)', () => {
    // 30 rows whose processes behave (they set the machine's typical spread, with many degrees of freedom) and one
    // whose current run has its second process 2.4× slower fused, as seen on wasm; the baseline's two agree. The
    // row's own spread, not the typical one, is what its test must use: it cannot tell a regression.
    const many = (seed: number, slowRow?: number): RunResults => {
      const rows = Array.from({ length: 31 }, (_, i) => run(seed * 100 + i, 1, { processes: 2, keepProcesses: true, slowProcess: i === slowRow ? 1 : undefined }));
      const sizes = rows.map((r, i) => ({ ...r.patterns[0]!.results[0]!, size: `n${i}`, params: { n: i } }));
      return { ...rows[0]!, patterns: [{ ...rows[0]!.patterns[0]!, results: sizes }] };
    };
    let n = 0;
    for (let s = 0; s < 20; s++) {
      const base = baselineFromResults({ file: `b${s}.json`, results: many(10 + s) }).baseline;
      const report = evaluateGate({ baseline: base, baselineName: 'b', current: many(50 + s, 0), currentName: 'c' }, { maxRegression: 0.05, alpha: 0.05, times: 'off' });
      if (report.rows.some((r) => r.class === 'fail' && r.size === 'n0')) n++;
    }
    expect(n).toBeLessThanOrEqual(2);
  });
});
