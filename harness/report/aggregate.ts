/**
 * Speedups across sizes and patterns, with confidence intervals that the per-size CIs cannot give:
 * a pattern's speedup is the geometric mean of its per-size ratios of medians; a backend's is the
 * geometric mean of its patterns'. The CI comes from the same percentile bootstrap as the per-size one,
 * resampling each size's paired rounds independently, so the recorded samples are all it needs.
 * Seeds derive from names, never from the clock: the same results always render the same report.
 */
import { geomean, geomeanReplicates, hashSeed, medianInPlace, percentileInterval, ratioReplicates } from '../core/stats.ts';
import type { SizeResult } from '../core/types.ts';

export { geomean, geomeanReplicates, hashSeed, medianInPlace };

export interface Aggregate {
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
}

/** Bootstrap replicates of one size's ratio of medians; index r is replicate r. */
export type Replicates = Float64Array;

/** Replicates of median(unfused)/median(fused), resampling paired rounds (same pairing as the per-size CI). */
export const sizeReplicates = ratioReplicates;

/** Point estimate plus the percentile interval of its replicates. */
export function aggregateOf(point: number, replicates: Replicates, confidence: number): Aggregate {
  return percentileInterval(point, replicates, confidence);
}

/** Replicates for a timed size result, seeded by where it belongs. */
export function replicatesFor(patternId: string, r: SizeResult, resamples: number): Replicates {
  return sizeReplicates(r.unfused?.samplesMs ?? [], r.fused?.samplesMs ?? [], resamples, hashSeed(`${patternId}|${r.backend}|${r.size}`));
}
