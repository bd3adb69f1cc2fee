/**
 * The vocabulary shared by suites, the harness, the backends and the reports.
 * Everything a suite file declares is described by `SuiteSpec`; everything a run
 * produces is described by `RunResults` (mirrored by schemas/results.schema.json).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { MeasuredCeilings } from './ceilings.ts';

/** Which prediction column of a suite applies to a backend. */
export type BackendKind = 'cpu' | 'gpu';

/** A host-side input: float32 or int32 values, kept in float64 so the reference sees exactly what the tensor holds. */
export interface HostArray {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float64Array;
}

/** Parameters of one size, e.g. `{ m: 512, k: 768, n: 3072 }`. */
export type SizeParams = Readonly<Record<string, number>>;

export type Tensors = Readonly<Record<string, Tensor>>;
export type HostInputs = Readonly<Record<string, HostArray>>;

/** Analytic cost of one call, in FLOPs and bytes of global memory traffic. */
export interface AnalyticCost {
  readonly flops: number;
  /** Bytes read and written by the unfused op sequence, intermediates included. */
  readonly bytesUnfused: number;
  /** Bytes read and written by the fused kernel. */
  readonly bytesFused: number;
  /** Bytes of intermediate tensors that fusion no longer materialises. */
  readonly intermediateBytes: number;
}

/** An expected speedup range and where the expectation comes from. */
export interface Prediction {
  readonly min: number;
  readonly max: number;
  readonly source: string;
}

/** numpy-style `|got - want| <= atol + rtol * |want|`. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** How the fused variant is provided, named honestly in reports. */
export type FusedImplementation = 'tfjs fused kernel' | 'fusebench kernel' | 'folded at build time';

/** A declarative fusion suite: what is measured, never how. */
export interface SuiteSpec<P extends SizeParams = SizeParams> {
  /** Contract id, e.g. `Linear_Bias_ReLU`. */
  readonly id: string;
  readonly family: string;
  readonly title: string;
  /** Real model shapes this pattern stands for. */
  readonly standsFor?: readonly string[];
  readonly sizes: { readonly full: readonly P[]; readonly quick: readonly P[] };
  /** Human label for a size, e.g. `512×768→3072`. */
  readonly label: (p: P) => string;
  /** One scalar that orders sizes (elements of the output, FLOPs…); used for crossover and interpolation. */
  readonly magnitude: (p: P) => number;
  /** Fresh, non-zero random inputs for a size. */
  readonly inputs: (p: P, rng: () => number) => HostInputs;
  /** Derived tensors built once, outside timing (e.g. BN folded into conv weights). */
  readonly prepare?: (t: Tensors, p: P) => Tensors;
  readonly unfused: (t: Tensors, p: P) => Tensor;
  readonly fused: (t: Tensors, p: P) => Tensor;
  readonly fusedBy: FusedImplementation;
  /**
   * The implementation the fused variant runs on one backend, where that differs by backend (e.g. tfjs's fused
   * kernel on wasm, fusebench's on cpu because tfjs-cpu's "fused" kernel runs the ops separately); see kernels/ops.ts.
   * Absent: `fusedBy` holds on every backend.
   */
  readonly fusedPath?: (backend: string) => FusedImplementation;
  readonly cost: (p: P) => AnalyticCost;
  /** Float64 reference over the host inputs. */
  readonly reference: (x: Readonly<Record<string, Float64Array>>, p: P) => Float64Array;
  readonly tolerance?: Tolerance | ((p: P) => Tolerance);
  readonly predictions: Readonly<Record<BackendKind, Prediction>>;
  /** Minimum acceptable speedup per backend name; the gate fails a run below it. */
  readonly minSpeedup?: Readonly<Record<string, number>>;
  /** Facts the report must state, e.g. "tfjs has no GELU epilogue". */
  readonly notes?: readonly string[];
}

/** A suite after validation, with the file it came from. */
export interface RegisteredSuite {
  readonly spec: SuiteSpec;
  readonly file: string;
}

// ---------------------------------------------------------------------------------------------
// Pipelines: several stages end to end, some of them replaced by one fused kernel

/** One stage of a pipeline: one op on named tensors. */
export interface PipelineStage {
  /** What the stage stands for in the application, e.g. "bias correction". */
  readonly name: string;
  /** The tensors it reads, in the order `run` takes them: pipeline inputs or outputs of earlier stages. */
  readonly inputs: readonly string[];
  /** The tensor it writes. */
  readonly out: string;
  readonly run: (...inputs: Tensor[]) => Tensor;
}

/** Consecutive stages that the fused pipeline runs as one kernel. */
export interface FusedStages {
  /** The fused kernel's label, e.g. "bias+activation". */
  readonly fused: string;
  /** The tensors the fused kernel reads, in the order `kernel` takes them: what the stages read from outside the group. */
  readonly inputs: readonly string[];
  /** One call computing what `stages` compute; it writes the last stage's output. */
  readonly kernel: (...inputs: Tensor[]) => Tensor;
  /** The unfused stages it replaces, in order (at least two). */
  readonly stages: readonly PipelineStage[];
}

export type PipelineStep = PipelineStage | FusedStages;

/** A declarative macro pipeline: what is measured end to end, never how. */
export interface PipelineSpec<P extends SizeParams = SizeParams> {
  readonly id: string;
  readonly family: string;
  readonly title: string;
  /** The workload in prose, for the report. */
  readonly description?: string;
  readonly standsFor?: readonly string[];
  readonly sizes: { readonly full: readonly P[]; readonly quick: readonly P[] };
  readonly label: (p: P) => string;
  /** One scalar that orders sizes, e.g. the elements each stage processes; matched against the micro suite's magnitudes. */
  readonly magnitude: (p: P) => number;
  readonly inputs: (p: P, rng: () => number) => HostInputs;
  /** The stages in execution order; fused groups hold the stages they replace. The last stage's output is the result. */
  readonly stages: readonly PipelineStep[];
  /** Id of the micro suite (defineSuite) of the fused kernel alone: its speedup in the same run feeds the Amdahl prediction. */
  readonly micro: string;
  /** Expected end-to-end speedup ranges, with their sources. */
  readonly predictions: Readonly<Record<BackendKind, Prediction>>;
  /** Float64 reference of the pipeline's result over the host inputs. */
  readonly reference: (x: Readonly<Record<string, Float64Array>>, p: P) => Float64Array;
  /** `exact` for integer pipelines; default: the config's tolerance. */
  readonly tolerance?: Tolerance | ((p: P) => Tolerance);
  /**
   * A real copy of a tensor's bytes on the device: the memory-bound yardstick each fused kernel is held against
   * (tf.clone will not do: on some backends it shares the buffer). Absent: no yardstick.
   */
  readonly copy?: (x: Tensor) => Tensor;
  /** Facts the report must state. */
  readonly notes?: readonly string[];
}

export interface RegisteredPipeline {
  readonly spec: PipelineSpec;
  readonly file: string;
}

// ---------------------------------------------------------------------------------------------
// Backends

export interface Availability {
  readonly available: boolean;
  /** Why it is unavailable, or a note about how it runs (e.g. "SIMD, 1 thread"). */
  readonly reason?: string;
  readonly installHint?: string;
}

export interface DeviceInfo {
  readonly description: string;
  readonly [key: string]: string | number | boolean;
}

/** The GPU's state at one moment (NVML through nvidia-smi), to see clock drops and throttling across a run. */
export interface DeviceState {
  readonly at: string;
  readonly smClockMHz: number;
  readonly temperatureC: number;
  readonly powerW: number;
}

/** One tfjs backend, as the harness needs it. Deliberately small. */
/** Host round trips made inside a backend's kernels, in total and by cause (e.g. "Unique (fallback: ran on tfjs-backend-cpu)"). */
export interface HostTripCounts {
  readonly total: number;
  readonly byCause: Readonly<Record<string, number>>;
}

export interface BackendAdapter {
  readonly name: string;
  readonly kind: BackendKind;
  detect(): Promise<Availability>;
  /** Registers and selects the backend; idempotent. */
  init(): Promise<void>;
  /**
   * A fence: resolves once every call issued so far has finished on the device. It reads nothing back;
   * reading whole results stays in the correctness check.
   */
  sync(): Promise<void>;
  /**
   * Device milliseconds of the work that `issue` launches, with no host gaps counted (CUDA events around the
   * sequence with the stream held until it is all queued; WebGPU timestamp queries per pass). Undefined where
   * the backend cannot tell device time from host time (the CPU backends: there it is the same thing).
   */
  deviceTime?(issue: () => void): Promise<number | undefined>;
  /** Evicts the caches the backend's kernels read through (GPU L2, or the CPU's last level), outside any timing. */
  evictCache?(): Promise<void>;
  /** What evictCache writes, for the report, e.g. "cuMemsetD32 of 120 MiB (2 × the 60 MiB L2)". */
  readonly evictionMethod?: string;
  /** The GPU's clock, temperature and power now, where the backend can read them. */
  deviceState?(): DeviceState | undefined;
  /**
   * Host round trips the backend's kernels have made so far (kernels run on the host through a fallback, value
   * read-backs), counted by cause. The harness refuses to time a variant that makes one on every call.
   */
  hostTrips?(): HostTripCounts;
  /** Kernels that run on the host through a counted fallback, each with why it is not native (`fusebench backends` lists them). */
  readonly fallbackKernels?: Readonly<Record<string, string>>;
  /** Whether `tf.time` reports real kernel time on this backend. */
  readonly hasKernelTiming: boolean;
  describe(): DeviceInfo;
  teardown(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Results (mirrored by schemas/results.schema.json)

/** How one variant timed: its throughput samples, their spread, its latency and device time. */
export interface TimingStats {
  /**
   * Pipelined per-call time: each sample is K back-to-back calls then one fence, divided by K; this is the
   * median over samples. Verdicts, speedups, the gate, calibration and the cost model use it.
   */
  readonly throughputMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  /** One throughput sample (per-call ms) per round, in round order. */
  readonly samplesMs: readonly number[];
  /** K: the calls in one throughput sample (raised until a sample lasts sampling.minSampleMs; 1 when cold). */
  readonly callsPerSample?: number;
  /** One call then the fence, on an idle device: the cost of a lone call (median over rounds). */
  readonly latencyMs: number;
  /** Device time per call (GPU work of K calls ÷ K, no host gaps), where the backend measures it. */
  readonly deviceMs?: number;
}

/** A variant's timing with what tf.profile saw of one call. */
export interface ProfiledStats extends TimingStats {
  /** Kernel names launched by one call, from tf.profile. */
  readonly kernels: readonly string[];
  /** Bytes of every tensor one call allocates, intermediates included. */
  readonly bytesAllocated: number;
}

/** A suite variant's timing and profile, and the throughput its analytic cost implies. */
export interface VariantStats extends ProfiledStats {
  readonly gflops: number;
  readonly gbps: number;
}

export interface ErrorStats {
  readonly maxAbs: number;
  readonly maxRel: number;
  readonly ok: boolean;
}

export interface Interval {
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * A verdict, as a key: judged at render time from the stored speedup interval and the thresholds in force
 * (core/verdicts.ts), turned into words by the report's formatter (`✓ Strong benefit`…). Never stored.
 */
export type Verdict = 'strong' | 'moderate' | 'minimal' | 'slower' | 'incorrect';

export type Decision = 'Deploy + Expand' | 'Deploy, stop expansion' | 'Re-evaluate';

/** A speedup interval judged against thresholds: computed when a report is rendered, never stored. */
export interface Judgement {
  readonly verdict: Verdict;
  /** Verdict at each end of the CI when they differ: "inconclusive". */
  readonly inconclusive?: { readonly lo: Verdict; readonly hi: Verdict };
  readonly decision: Decision;
}

/** One measured size of a suite or a pipeline on one backend: where, what, and whether it ran and was right. */
export interface MeasuredSize {
  readonly backend: string;
  readonly size: string;
  readonly params: SizeParams;
  readonly magnitude: number;
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  readonly correctness?: { readonly unfused: ErrorStats; readonly fused: ErrorStats };
}

export interface SizeResult extends MeasuredSize {
  readonly cost: AnalyticCost;
  readonly unfused?: VariantStats;
  readonly fused?: VariantStats;
  readonly speedup?: Interval;
  readonly memoryReduction?: number;
  /** Calls per sample shared by both variants, in results written before each variant had its own (see VariantStats). */
  readonly callsPerSample?: number;
  /** Why the size stopped: the round/process limit, its time budget, or the adaptive rule (CI tight enough). */
  readonly stoppedBy?: 'rounds' | 'budget' | 'converged';
  /**
   * One entry per process that measured the size, in order: its rounds (samplesMs holds them in this order) and
   * its medians. The speedup CI resamples processes, then rounds within each.
   */
  readonly processes?: ReadonlyArray<{ readonly rounds: number; readonly unfusedMs: number; readonly fusedMs: number; readonly speedup: number }>;
}

export interface PatternResult {
  readonly id: string;
  readonly family: string;
  readonly title: string;
  readonly file: string;
  readonly fusedBy: FusedImplementation;
  readonly standsFor: readonly string[];
  readonly predictions: Readonly<Record<BackendKind, Prediction>>;
  readonly minSpeedup?: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  readonly results: readonly SizeResult[];
}

/** One stage of a pipeline timed alone, on the intermediate the pipeline feeds it. */
export interface PipelineStageResult {
  readonly name: string;
  /** The fused group it belongs to. */
  readonly group?: string;
  readonly timing: TimingStats;
}

/** One fused group of a pipeline at one size: its kernel alone against its stages alone, and against a plain copy. */
export interface PipelineGroupResult {
  readonly label: string;
  readonly stages: readonly string[];
  /** Elements of the group's output. */
  readonly elements: number;
  /** Bytes read and written by the group's stages (intermediates included) and by the fused kernel. */
  readonly bytesUnfused: number;
  readonly bytesFused: number;
  /** The fused kernel alone, on the same inputs, in the same rounds. */
  readonly kernel: TimingStats;
  /** Kernel names launched by one call of the fused kernel, from tf.profile. */
  readonly kernels: readonly string[];
  /** Σ stage medians ÷ fused-kernel median: the fused kernel's speedup at this pipeline's size. */
  readonly speedup: Interval;
  /** A plain copy moving the fused kernel's bytes (reads + writes), in the same rounds; ratio = fused ÷ copy. */
  readonly copy?: { readonly elements: number; readonly bytes: number; readonly timing: TimingStats; readonly ratio: Interval };
}

/** Amdahl's prediction of a pipeline's speedup, from its measured coverage and a micro speedup of the same run. */
export interface AmdahlPrediction {
  /** Where s comes from: the pipeline's micro suite at its nearest size, or (not in the run) the fused kernel alone inside the pipeline. */
  readonly from: 'micro suite' | 'pipeline';
  /** The micro suite's id and size, when `from` is 'micro suite'. */
  readonly micro?: { readonly suite: string; readonly size: string };
  /** s: the micro speedup, with its CI. */
  readonly speedup: Interval;
  /** 1 / ((1 − c) + c / s), bootstrapped over the pipeline's and the micro suite's rounds together. */
  readonly predicted: Interval;
  /** Measured − predicted, in percentage points of speedup. */
  readonly deltaPts: number;
}

export interface PipelineSizeResult extends MeasuredSize {
  /** The whole pipeline, unfused and fused. */
  readonly unfused?: ProfiledStats;
  readonly fused?: ProfiledStats;
  readonly stages?: readonly PipelineStageResult[];
  readonly groups?: readonly PipelineGroupResult[];
  readonly coverage?: {
    /** Share of the stages inside fused groups. */
    readonly ops: number;
    /** Share of the stages fusion removes (a group of n stages removes n − 1). */
    readonly opsRemoved: number;
    /** Σ fused stages' medians ÷ the unfused pipeline's median: share of the measured unfused runtime. */
    readonly runtime: Interval;
  };
  /** Unfused ÷ fused pipeline: the end-to-end (macro) speedup. */
  readonly speedup?: Interval;
  /** Σ stage-alone medians ÷ the unfused pipeline's median (≈ 1 when the stages add up to the pipeline). */
  readonly stageSum?: number;
  /** Added when the run's results are assembled (it needs the micro suite's results of the same run). */
  readonly amdahl?: AmdahlPrediction;
  readonly stoppedBy?: 'rounds' | 'budget' | 'converged';
}

/** A pipeline's figures over its sizes on one backend: the row of the Decision Matrix. */
export interface PipelineSummary {
  readonly backend: string;
  /** Sizes measured with correct results (the others count nowhere). */
  readonly sizes: number;
  /** Geometric mean of the per-size macro speedups, with a joint bootstrap CI. */
  readonly speedup: Interval;
  /** Geometric mean of the per-size Amdahl predictions, with a joint bootstrap CI. */
  readonly predicted?: Interval;
  readonly deltaPts?: number;
  /** Mean runtime coverage over sizes. */
  readonly coverage: number;
  /** Fused ÷ copy over every group and size: best and worst. */
  readonly copy?: { readonly best: number; readonly worst: number };
  /** Sizes whose fused result was wrong; any makes the decision moot. (Its Decision Matrix row is judged when a report is rendered.) */
  readonly incorrect: readonly string[];
}

export interface PipelineResult {
  readonly id: string;
  readonly family: string;
  readonly title: string;
  readonly file: string;
  readonly description?: string;
  readonly standsFor: readonly string[];
  /** Stages in order, with the fused group each belongs to. */
  readonly stages: ReadonlyArray<{ readonly name: string; readonly group?: string }>;
  readonly micro: string;
  readonly predictions: Readonly<Record<BackendKind, Prediction>>;
  readonly notes: readonly string[];
  readonly results: readonly PipelineSizeResult[];
  /** One per backend with results. */
  readonly summary: readonly PipelineSummary[];
}

export interface MachineInfo {
  readonly hostname: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly tfjs: string;
  readonly gpu?: string;
}

export interface BackendStatus extends Availability {
  readonly name: string;
  readonly kind: BackendKind;
  readonly device?: DeviceInfo;
  /** Per-call cost of a 1-element op through the sampler (tidy, dispose, K = 100 calls and one fence). */
  readonly harnessOverheadMs?: number;
  /** The same op dispatched bare in a loop (100 calls, one fence): what harnessOverheadMs is held against. */
  readonly bareDispatchMs?: number;
  /** The GPU's clock, temperature and power when the backend's run started and ended. */
  readonly deviceState?: { readonly start: DeviceState; readonly end: DeviceState };
  /** How the backend evicts caches, where a run used `cache: 'cold'`. */
  readonly evictionMethod?: string;
  /** Roofline ceilings measured in the same run (`--ceilings`); see harness/ceilings. */
  readonly ceilings?: MeasuredCeilings;
}

export interface RunResults {
  readonly schema: 'fusebench/results@1';
  readonly createdAt: string;
  readonly command: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly sampling: {
    readonly rounds: number;
    readonly warmup: number;
    readonly bootstrap: number;
    readonly timing: string;
    /**
     * `pipelined`: K calls then one fence, nothing read back (throughputMs, latencyMs, deviceMs).
     * Absent in results written before 2026-12-04: each call was timed to a full read-back of its output (medianMs).
     */
    readonly method?: 'pipelined';
    /** `warm` or `cold` caches (absent: warm). */
    readonly cache?: 'warm' | 'cold';
    /** The sampling rules in force for this run (absent in results written before they were recorded). */
    readonly minSampleMs?: number;
    readonly maxSecondsPerSize?: number;
    readonly minRounds?: number;
  };
  readonly backends: readonly BackendStatus[];
  readonly patterns: readonly PatternResult[];
  /** Macro pipelines measured in the same run (absent in results written before pipelines were suites). */
  readonly pipelines?: readonly PipelineResult[];
  /** A run merged from shards (vitest --shard, then --merge-reports): each shard's label and machine. */
  readonly shards?: ReadonlyArray<{ readonly label: string; readonly machine: MachineInfo }>;
}
