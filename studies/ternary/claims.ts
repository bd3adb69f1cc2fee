/**
 * What the ternary macro study (shared/studies/macro-benchmark-results.md) claimed, quoted for comparison and never
 * presented as measured; and the performance target its fused kernel is held to against a plain copy.
 */
export const STUDY = {
  source: 'macro-benchmark-results.md, 2025-10-23',
  /** Micro speedup of the Phase 4.1 kernel tnot∘tadd. */
  microSpeedup: 1.77,
  /** Runtime coverage it assumed. */
  coverage: 0.2,
  /** The macro speedup it predicted from those (Amdahl with them gives 1.10×). */
  predictedMacro: 1.13,
  imageMacro: 1.25,
  neuralMacro: 1.37,
  overallMacro: 1.31,
  /** Its headline: 25–40% faster in realistic ternary pipelines. */
  headline: { min: 1.25, max: 1.4 },
} as const;

/** The fused ternary kernel is held to within this factor of a plain copy of the same bytes. */
export const COPY_TARGET = 1.3;

/** The pipelines of the study, by suite id. */
export const IMAGE = 'TernaryImagePipeline';
export const NEURAL = 'TernaryNeuralLayer';
/** The Phase 4.1 micro suite. */
export const MICRO = 'Ternary_tadd_tnot';
