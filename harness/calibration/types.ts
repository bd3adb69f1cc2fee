/**
 * A calibration profile: what fusion buys on one hardware × backend, measured. Mirrored by
 * schemas/calibration.schema.json. Field names are snake_case, as in the calibration study's profiles,
 * so profiles read the same whichever tool wrote them.
 */
import type { BackendKind, DeviceInfo, FusedImplementation, MachineInfo, Prediction, RunResults } from '../core/types.ts';
import type { MeasuredCeilings } from '../core/ceilings.ts';

export const CALIBRATION_SCHEMA_ID = 'fusebench/calibration@1';

/** How `speedup_factor` (the one number `getFusionSpeedup` answers) is taken from the sizes. */
export const SPEEDUP_SUMMARY_BASIS = 'median over the measured sizes';

/** One measured size of one pattern. Times are medians of the interleaved wall-clock samples. */
export interface FusionSizeEntry {
  readonly size: string;
  /** The suite's ordering scalar for this size; the cost model interpolates in log(magnitude). */
  readonly magnitude: number;
  readonly params: Readonly<Record<string, number>>;
  readonly unfused_ms: number;
  readonly fused_ms: number;
  /** Median GPU kernel time per call, where the backend reports it. */
  readonly unfused_kernel_ms?: number;
  readonly fused_kernel_ms?: number;
  /** Ratio of medians, unfused / fused. */
  readonly speedup: number;
  /** Bootstrap confidence interval of the speedup, [lo, hi]. */
  readonly speedup_ci: readonly [number, number];
  /** Share of the unfused call's allocated bytes that the fused call does not allocate. */
  readonly memory_reduction: number;
  readonly unfused_gflops: number;
  readonly fused_gflops: number;
  readonly unfused_gbps: number;
  readonly fused_gbps: number;
  /** Analytic cost of one call. */
  readonly flops: number;
  readonly bytes_unfused: number;
  readonly bytes_fused: number;
  /** Whether each variant matched the float64 reference within tolerance. */
  readonly fused_correct: boolean;
  readonly unfused_correct: boolean;
  /** Largest absolute error of the fused result; null when it was not a finite number (NaN never passes). */
  readonly fused_max_abs_error: number | null;
  /** The size's point verdict in words (`✓ Moderate benefit`…), judged with the thresholds in force when the profile was written. */
  readonly verdict: string;
  readonly kernels_unfused: readonly string[];
  readonly kernels_fused: readonly string[];
}

/** A size that could not be measured (out of memory, an unsupported op, a leak…). */
export interface FailedSizeEntry {
  readonly size: string;
  readonly magnitude: number;
  readonly params: Readonly<Record<string, number>>;
  readonly error: string;
}

export interface FusionPatternProfile {
  readonly pattern: string;
  readonly family: string;
  readonly title: string;
  readonly fused_by: FusedImplementation;
  /** False when the fused result was outside tolerance at any measured size: such a kernel must not be used. */
  readonly correct: boolean;
  /** Summary speedup (see `speedup_basis`); null when no size could be measured. */
  readonly speedup_factor: number | null;
  readonly speedup_basis: string;
  /** Smallest and largest per-size speedup; null when no size could be measured. */
  readonly speedup_range: readonly [number, number] | null;
  /** Median memory reduction over the measured sizes; null when none was measured. */
  readonly memory_reduction: number | null;
  /** Verdict of the summary speedup in words, or `✗ Incorrect`; null when no size could be measured. */
  readonly verdict: string | null;
  /** The suite's prediction for this backend's kind. */
  readonly prediction: Prediction;
  /** Measured sizes, ascending by magnitude. */
  readonly sizes: readonly FusionSizeEntry[];
  readonly failed_sizes: readonly FailedSizeEntry[];
}

export interface CalibrationProfile {
  readonly schema: typeof CALIBRATION_SCHEMA_ID;
  readonly hardware: string;
  readonly backend: string;
  readonly backend_kind: BackendKind;
  readonly device: DeviceInfo | null;
  readonly machine: MachineInfo;
  readonly created_at: string;
  readonly command: string;
  readonly quick: boolean;
  /** Datasheet figures given by the user (`--peak-gflops`, `--peak-bandwidth`), never measured. */
  readonly theoretical_peak_gflops?: number;
  readonly theoretical_bandwidth_gbps?: number;
  /** Roofline ceilings measured on this backend (`fusebench calibrate`); absent from `fusebench run` profiles. */
  readonly ceilings?: MeasuredCeilings;
  readonly sampling: RunResults['sampling'];
  readonly fusion_profiles: Readonly<Record<string, FusionPatternProfile>>;
}

/**
 * A profile as read from disk: only `hardware` and `backend` are guaranteed, because older profiles
 * (written before fusion profiles or ceilings existed) must still load. Other fields may be present.
 */
export type CalibrationDocument = Partial<Omit<CalibrationProfile, 'hardware' | 'backend'>> &
  Pick<CalibrationProfile, 'hardware' | 'backend'>;
