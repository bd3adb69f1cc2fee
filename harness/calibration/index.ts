/** Calibration profiles: building them from results, loading them, comparing them, and calibrating. */
export { profileFromResults, type ProfileOptions } from './profile.ts';
export { loadCalibration, parseCalibration } from './load.ts';
export { Calibration, INCORRECT_SPEEDUP } from './calibration.ts';
export { assertValidCalibration, CalibrationFormatError } from './validate.ts';
export { calibrate, BackendUnavailableError, type CalibrateOptions } from './calibrate.ts';
export { renderComparison, type CompareOptions } from './compare.ts';
export { patternDecision, type DecisionKind, type PatternDecision } from './decision.ts';
export { selectPatterns, UnknownPatternError } from './patterns.ts';
export * from './types.ts';
