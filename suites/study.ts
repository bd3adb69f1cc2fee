/**
 * Predictions, each with its source. Measured CPU ranges and the GPU expectation table come from the
 * calibration study (../shared/studies/fusion-calibration-summary.md, "CPU Fusion Performance (i7-12700K)" and
 * "GPU Expectations"); patterns the study did not measure say so and name what the figure is instead.
 */
import type { AnalyticCost, Prediction } from 'fusebench';

const STUDY = 'fusion-calibration-summary.md';

/** A range the study measured on its CPU. */
export function studyCpu(pattern: string, min: number, max: number): Prediction {
  return { min, max, source: `${STUDY}, CPU i7-12700K, measured: ${pattern} ${min}–${max}×` };
}

/** A row of the study's GPU expectation table (expectations, not measurements). */
export function studyGpu(row: 'Linear+Bias' | 'Conv+BN' | 'Conv+BN+ReLU' | 'Attention', min: number, max: number, caveat?: string): Prediction {
  return { min, max, source: `${STUDY}, GPU expectation table (not measured): ${row} ${min}–${max}×${caveat ? `; ${caveat}` : ''}` };
}

/** The nearest measured CPU row, for a pattern the study did not measure. */
export function nearestStudyCpu(pattern: string, row: string, min: number, max: number): Prediction {
  return { min, max, source: `no study figure for ${pattern}; nearest measured row of ${STUDY} (CPU i7-12700K): ${row} ${min}–${max}×` };
}

/**
 * A bandwidth model for a pattern the study did not measure: fusion can at best remove the bytes it no longer
 * moves, so the speedup lies between 1× (overhead- or compute-bound) and bytesUnfused / bytesFused
 * (purely memory-bound), evaluated at the named size.
 */
export function bandwidthModel(pattern: string, cost: AnalyticCost, at: string): Prediction {
  const max = Math.round((cost.bytesUnfused / cost.bytesFused) * 100) / 100;
  return { min: 1, max: Math.max(1, max), source: `no study figure for ${pattern}; bandwidth model: 1× to bytesUnfused/bytesFused = ${max}× at ${at}` };
}
