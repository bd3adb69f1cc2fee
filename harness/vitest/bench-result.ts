/**
 * vitest's BenchResult from fusebench's samples, so that vitest's own table prints our numbers: latency
 * statistics are the per-call milliseconds of the throughput samples (each K calls and one fence ÷ K),
 * throughput is calls per second. tinybench's statistics shape, computed here; samples are not retained.
 */
import type { BenchResult } from 'vitest';
import { quantile } from '../core/stats.ts';

type Statistics = BenchResult['latency'];

/** Two-sided 95% Student-t critical value (Cornish–Fisher expansion; within 0.1% from 3 degrees of freedom). */
function tCritical95(df: number): number {
  if (df <= 1) return 12.706204736;
  if (df === 2) return 4.30265273;
  const z = 1.959963984540054;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

export function statistics(samples: readonly number[]): Statistics {
  if (samples.length === 0) throw new Error('statistics of no samples');
  const n = samples.length;
  const mean = samples.reduce((s, x) => s + x, 0) / n;
  const variance = n > 1 ? samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  const sem = sd / Math.sqrt(n);
  const critical = tCritical95(n - 1);
  const moe = n > 1 ? sem * critical : 0;
  const p50 = quantile(samples, 0.5);
  return {
    aad: samples.reduce((s, x) => s + Math.abs(x - mean), 0) / n,
    critical,
    df: n - 1,
    mad: quantile(samples.map((x) => Math.abs(x - p50)), 0.5),
    max: Math.max(...samples),
    mean,
    min: Math.min(...samples),
    moe,
    p50,
    p75: quantile(samples, 0.75),
    p99: quantile(samples, 0.99),
    p995: quantile(samples, 0.995),
    p999: quantile(samples, 0.999),
    rme: mean === 0 ? Number.POSITIVE_INFINITY : (100 * moe) / Math.abs(mean),
    samples: undefined,
    samplesCount: n,
    sd,
    sem,
    variance,
  };
}

/** One registration's result from its per-call samples (ms) and its calls per sample. */
export function benchResult(name: string, perCallMs: readonly number[], callsPerSample: number): BenchResult {
  const latency = statistics(perCallMs);
  return {
    name,
    state: 'completed',
    latency,
    throughput: statistics(perCallMs.map((ms) => (ms > 0 ? 1000 / ms : 0))),
    period: latency.p50,
    totalTime: perCallMs.reduce((s, x) => s + x, 0) * callsPerSample,
    runtime: 'node',
    runtimeVersion: process.version,
    timestampProviderName: 'performanceNow',
  };
}
