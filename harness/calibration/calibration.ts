/**
 * A loaded calibration profile and the lookups a graph partitioner needs. Built by `loadCalibration`.
 */
import type { BackendKind } from '../core/types.ts';
import type { MeasuredCeilings } from '../core/ceilings.ts';
import type { CalibrationDocument, FusionPatternProfile } from './types.ts';

/** Speedup reported for a pattern whose fused result was wrong at some size: never worth fusing. */
export const INCORRECT_SPEEDUP = 0;

export class Calibration {
  readonly hardware: string;
  readonly backend: string;
  readonly backendKind: BackendKind | undefined;
  /** Fusion profiles keyed by pattern id; empty for a profile written before fusion profiles existed. */
  readonly fusion_profiles: ReadonlyMap<string, FusionPatternProfile>;

  constructor(readonly document: CalibrationDocument, readonly source: string) {
    this.hardware = document.hardware;
    this.backend = document.backend;
    this.backendKind = document.backend_kind;
    this.fusion_profiles = new Map(Object.entries(document.fusion_profiles ?? {}).map(([id, p]) => [
      id, { ...p, sizes: [...p.sizes].sort((a, b) => a.magnitude - b.magnitude) },
    ]));
  }

  get ceilings(): MeasuredCeilings | undefined {
    return this.document.ceilings;
  }

  /** The full entry for a pattern id, or undefined when the profile has none. */
  getFusionPattern(pattern: string): FusionPatternProfile | undefined {
    return this.fusion_profiles.get(pattern);
  }

  /**
   * The pattern's summary speedup (`speedup_factor`: the median over its measured sizes).
   * - `defaultValue` when the pattern is not in the profile, or none of its sizes could be measured;
   * - 0 when its fused result was outside tolerance at any size: a wrong kernel has no speed worth using.
   */
  getFusionSpeedup(pattern: string, defaultValue = 1.0): number {
    const p = this.fusion_profiles.get(pattern);
    if (!p) return defaultValue;
    if (!p.correct) return INCORRECT_SPEEDUP;
    return p.speedup_factor ?? defaultValue;
  }

  /** Pattern ids in the profile, sorted. */
  patterns(): string[] {
    return [...this.fusion_profiles.keys()].sort();
  }
}
