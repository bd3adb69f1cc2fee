/** Roofline ceilings measured with tfjs ops on a backend. */
export { measureCeilings, measureMatmulCeiling, measureBandwidthCeiling, CEILING_TIMING, type CeilingOptions } from './measure.ts';
export type { CeilingMeasurement, CeilingPoint, MeasuredCeilings, Roofs } from '../core/ceilings.ts';
