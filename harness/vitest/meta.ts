/** What each fusebench test leaves on its vitest task (task.meta): plain data that travels to the reporter, the JSON reporter and blob reports. */
import type { BackendStatus, MachineInfo, SizeResult } from '../core/types.ts';
import type { PatternHeader } from '../results.ts';

export interface FusebenchTaskMeta {
  readonly pattern: PatternHeader;
  /** The backend as activated for this test (device, overhead), or unavailable with its reason. */
  readonly backend: BackendStatus;
  /** Every backend the worker knew of, available or not (for the report's backend list). */
  readonly backends: readonly BackendStatus[];
  readonly machine: MachineInfo;
  readonly quick: boolean;
  readonly result: SizeResult;
}

declare module 'vitest' {
  interface TaskMeta {
    fusebench?: FusebenchTaskMeta;
    /** A suite declared in a bench file but not selected by FUSEBENCH_PATTERNS. */
    fusebenchDeclared?: PatternHeader;
  }
}
