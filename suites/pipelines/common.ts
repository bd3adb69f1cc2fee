/**
 * What the two ternary macro pipelines share: the study's prediction of their end-to-end speedup, and the
 * timed-call options. Not a bench file: image.bench.ts and neural-layer.bench.ts declare the pipelines.
 */
import type { Prediction } from 'fusebench';
import type { TernaryOpOptions } from '../../kernels/ternary/ops.ts';

/** Timed calls skip the trit check: inputs come from trits() and both pipelines are compared with the reference first. */
export const OFF: TernaryOpOptions = { validate: false };

const STUDY = 'macro-benchmark-results.md (2025-10-23)';

/**
 * The study predicted 1.13× from a 1.77× micro speedup at about 20% coverage (Amdahl with those inputs gives 1.10×),
 * and then measured more in each pipeline (`measured`).
 */
export const studyPrediction = (measured: number): Readonly<Record<'cpu' | 'gpu', Prediction>> => {
  const p: Prediction = { min: 1.1, max: 1.13, source: `${STUDY}: predicted 1.13× (Amdahl of c ≈ 20%, s = 1.77× is 1.10×); it measured ${measured}× on its machine` };
  return { cpu: p, gpu: p };
};
