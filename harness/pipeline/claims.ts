/** What shared/studies/macro-benchmark-results.md claimed (quoted for comparison, never presented as measured) and the copy target. */
import type { StudyClaims } from './results.ts';

export const STUDY_CLAIMS: StudyClaims = {
  source: 'shared/studies/macro-benchmark-results.md, 2025-10-23',
  microSpeedup: 1.77,
  coverage: 0.2,
  predictedMacro: 1.13,
  imageMacro: 1.25,
  neuralMacro: 1.37,
  overallMacro: 1.31,
};

/** The performance target: a fused ternary kernel within this factor of a plain copy of the same bytes. */
export const COPY_TARGET = 1.3;
