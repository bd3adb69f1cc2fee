/** What each fusebench test leaves on its vitest task (task.meta): plain data that travels to the reporter, the JSON reporter and blob reports. */
import type { BackendStatus, MachineInfo, PipelineSizeResult, SizeResult } from '../core/types.ts';
import type { PatternHeader, PipelineHeader } from '../results.ts';

/** What every measured item's test records besides its result. */
export interface ItemMeta {
  /** The backend as activated for this test (device, overhead), or unavailable with its reason. */
  readonly backend: BackendStatus;
  /** Every backend the worker knew of, available or not (for the report's backend list). */
  readonly backends: readonly BackendStatus[];
  readonly machine: MachineInfo;
  readonly quick: boolean;
}

/** A suite at one size on one backend. */
export interface FusebenchTaskMeta extends ItemMeta {
  readonly pattern: PatternHeader;
  readonly result: SizeResult;
}

/** A pipeline at one size on one backend. */
export interface FusebenchPipelineMeta extends ItemMeta {
  readonly pipeline: PipelineHeader;
  readonly result: PipelineSizeResult;
}

declare module 'vitest' {
  interface TaskMeta {
    fusebench?: FusebenchTaskMeta;
    fusebenchPipeline?: FusebenchPipelineMeta;
    /** A suite or pipeline declared in a bench file but not selected by FUSEBENCH_PATTERNS. */
    fusebenchDeclared?: { readonly id: string; readonly family: string };
  }
}
