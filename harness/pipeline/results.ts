/** What measuring a pipeline produces (mirrored in MACRO-RESULTS.json). Types only. */
import type { BackendStatus, Interval, MachineInfo, PatternResult, SizeParams } from '../core/types.ts';
import type { TimingMode } from './sampler.ts';

export interface TimeSummary {
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  /** One value per round, in round order. */
  readonly samplesMs: readonly number[];
}

export interface StageResult {
  readonly name: string;
  readonly op: string;
  readonly fusedGroup?: string;
  /** The stage alone on precomputed inputs (compute time, see `timing`). */
  readonly compute: TimeSummary;
}

export interface GroupResult {
  readonly label: string;
  /** e.g. `TernaryNotBinary(op=tadd)`. */
  readonly kernel: string;
  readonly stages: readonly string[];
  readonly elements: number;
  /** Bytes the unfused stages move (inputs read + outputs written, int32) and the fused kernel moves. */
  readonly bytesUnfused: number;
  readonly bytesFused: number;
  /** The fused kernel alone on the same inputs. */
  readonly fusedAlone: TimeSummary;
  /** Σ stage medians ÷ fused-alone median: the micro speedup at this pipeline's size. */
  readonly microSpeedup: Interval;
  /** A plain copy moving the fused kernel's bytes (reads + writes), same rounds. */
  readonly copy?: { readonly elements: number; readonly bytes: number; readonly compute: TimeSummary; readonly ratio: Interval };
}

export interface VariantResult {
  readonly wall: TimeSummary;
  readonly compute: TimeSummary;
  /** Kernels one call launches, from tf.profile. */
  readonly kernels: readonly string[];
}

export interface PipelineSizeResult {
  readonly backend: string;
  readonly pipeline: string;
  readonly size: string;
  readonly params: SizeParams;
  readonly elements: number;
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  readonly timing?: TimingMode;
  readonly rounds?: number;
  readonly correctness?: { readonly unfusedMismatches: number; readonly fusedMismatches: number; readonly ok: boolean };
  readonly unfused?: VariantResult;
  readonly fused?: VariantResult;
  readonly stages?: readonly StageResult[];
  readonly groups?: readonly GroupResult[];
  readonly coverage?: {
    readonly opShare: number;
    readonly opsRemovedShare: number;
    /** Σ fused-region stage medians ÷ unfused pipeline median (wall): share of the measured unfused runtime. */
    readonly runtimeShare: Interval;
  };
  /** Amdahl: 1 / ((1 − c) + c / s) from runtimeShare and the groups' micro speedups, bootstrapped over rounds. */
  readonly prediction?: Interval;
  /** Unfused ÷ fused pipeline, wall clock including the final read-back (what an application sees). */
  readonly macro?: Interval;
  /** The same on compute time only (differs from `macro` by the read-back). */
  readonly macroCompute?: Interval;
  /** Σ stage-alone medians ÷ unfused pipeline compute median (≈ 1 when stages add up to the pipeline). */
  readonly stageSumOverPipeline?: number;
}

export interface PipelineResult {
  readonly id: string;
  readonly title: string;
  readonly kind: 'image' | 'neural' | 'other';
  readonly description: string;
  readonly file: string;
  readonly stages: ReadonlyArray<{ readonly name: string; readonly op: string; readonly fused?: string }>;
  readonly notes: readonly string[];
  readonly results: readonly PipelineSizeResult[];
}

/** Aggregates for one backend, computed from the results (summary.ts). */
export interface BackendSummary {
  readonly micro?: { readonly geomean: number; readonly min: number; readonly max: number; readonly sizes: number; readonly correct: boolean };
  readonly pipelines: ReadonlyArray<{
    readonly id: string;
    readonly kind: 'image' | 'neural' | 'other';
    readonly macro: Interval;
    readonly prediction: Interval;
    readonly coverage: number;
    readonly microAtSize: number;
    readonly sizes: number;
  }>;
  /** Geometric mean of macro speedups over every size of every pipeline, with a joint bootstrap CI. */
  readonly overall?: Interval;
  readonly overallPrediction?: number;
  readonly copy?: { readonly worst: number; readonly best: number; readonly within: number; readonly of: number };
}

export interface MacroBackendResult {
  readonly backend: BackendStatus;
  /** The Phase 4.1 micro suite measured by the harness engine (measureSize). */
  readonly micro?: PatternResult;
  readonly pipelines: readonly PipelineResult[];
  readonly summary: BackendSummary;
}

/** What the study (shared/studies/macro-benchmark-results.md) claimed, for the comparison tables. */
export interface StudyClaims {
  readonly source: string;
  readonly microSpeedup: number;
  readonly coverage: number;
  readonly predictedMacro: number;
  readonly imageMacro: number;
  readonly neuralMacro: number;
  readonly overallMacro: number;
}

export interface MacroStudyResults {
  readonly schema: 'fusebench/macro@1';
  readonly createdAt: string;
  readonly command: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly sampling: { readonly rounds: number; readonly minRounds: number; readonly warmup: number; readonly minSampleMs: number; readonly maxSecondsPerSize: number; readonly bootstrap: number };
  readonly copyTarget: number;
  readonly decisions: { readonly expand: number; readonly deploy: number };
  readonly study: StudyClaims;
  readonly backends: readonly MacroBackendResult[];
}
