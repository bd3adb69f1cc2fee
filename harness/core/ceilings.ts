/**
 * Roofline ceilings measured on one tfjs backend: what tfjs ops actually achieve there, not the
 * vendor's datasheet figures. Stored in calibration profiles (snake_case, like the rest of the profile).
 */

/** One probe size of a ceiling measurement. */
export interface CeilingPoint {
  /** The tfjs op, e.g. `matMul`, `relu`, `add`. */
  readonly op: string;
  /** Matmul: the square side n. Elementwise: the element count N. */
  readonly size: number;
  /** FLOPs (matmul) or bytes (elementwise) counted per call. */
  readonly work_per_call: number;
  /** Timed samples at this size (after one untimed warm-up call); each sample is `calls_per_sample` calls then one sync. */
  readonly samples: number;
  readonly calls_per_sample: number;
  /** Median milliseconds per call. */
  readonly median_ms: number;
  /** GFLOP/s (matmul) or GB/s (bandwidth) at the median. */
  readonly rate: number;
  /** Median GPU kernel time per call (tf.time), where the backend reports it, and the rate from it. */
  readonly kernel_ms?: number;
  readonly kernel_rate?: number;
}

export interface CeilingMeasurement {
  /** How the ceiling is taken from the points, and how work per call is counted. */
  readonly method: string;
  /** The point the ceiling comes from. */
  readonly from: CeilingPoint;
  /** Every probe, in the order measured. */
  readonly points: readonly CeilingPoint[];
}

export interface MeasuredCeilings {
  /** Achieved fp32 matmul rate, GFLOP/s: the compute roof. */
  readonly matmul_gflops: number;
  /** Achieved global-memory bandwidth of an elementwise op, GB/s (1 GB = 1e9 bytes): the memory roof. */
  readonly bandwidth_gbps: number;
  /** Ridge point: operational intensity (FLOP/byte) where the two roofs meet. */
  readonly ridge_flops_per_byte: number;
  /**
   * The same two roofs from GPU kernel time (tf.time), where the backend reports it: the roofs to hold
   * kernel-timed pattern points against, since wall clock adds the launch and read-back latency.
   */
  readonly kernel?: { readonly matmul_gflops: number; readonly bandwidth_gbps: number };
  readonly matmul: CeilingMeasurement;
  readonly bandwidth: CeilingMeasurement;
  /** How a call was timed. */
  readonly timing: string;
}

/** The two numbers a roofline needs, per backend. */
export interface Roofs {
  readonly gflops: number;
  readonly gbps: number;
}
