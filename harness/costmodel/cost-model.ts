/**
 * A fusion cost model backed by a measured calibration profile: should this op sequence be fused on
 * this hardware × backend, at this size? Answers come from measurement only; where the profile has no
 * answer, the caller's default is used and the answer says so.
 */
import { loadCalibration } from '../calibration/load.ts';
import { Calibration, INCORRECT_SPEEDUP } from '../calibration/calibration.ts';
import type { FusionPatternProfile } from '../calibration/types.ts';
import { currentConfig } from '../core/config.ts';
import { estimateAtSize, type SizePoint } from './interpolate.ts';
import { describeQuery, resolvePattern } from './ops.ts';

export type PatternQuery = string | readonly string[];

/**
 * Where a speedup comes from:
 * - `measured`: a measured size equals the one asked;
 * - `interpolated`: linear in log(size) between the two measured sizes around it;
 * - `extrapolated`: outside the measured range, the nearest measured size;
 * - `summary`: no size asked, the profile's summary speedup (median over sizes);
 * - `incorrect`: the fused result failed the correctness check at some size, speedup 0;
 * - `default`: the pattern is unknown to the profile, or none of its sizes was measured.
 */
export type BenefitBasis = 'measured' | 'interpolated' | 'extrapolated' | 'summary' | 'incorrect' | 'default';

export interface FusionBenefit {
  /** The query as written (`Conv2d+BN` for an op list). */
  readonly query: string;
  /** The pattern id it resolved to; undefined when no pattern in the profile matches. */
  readonly pattern: string | undefined;
  /** Expected speedup of the fused over the unfused sequence (unfused time / fused time). */
  readonly speedup: number;
  /** Confidence interval of the speedup, where the answer comes from measured sizes. */
  readonly ci?: readonly [number, number];
  readonly basis: BenefitBasis;
  /** True when the size asked lies outside the measured range. */
  readonly extrapolated: boolean;
  /** Labels of the measured sizes used. */
  readonly from: readonly string[];
}

export interface BenefitOptions {
  /** Speedup assumed for a pattern the profile does not know (default 1: no benefit). */
  readonly default?: number;
}

export interface ShouldFuseOptions extends BenefitOptions {
  /** The suite's magnitude for the size at hand; omitted: the pattern's summary speedup. */
  readonly size?: number;
  /** Fuse when the speedup reaches this (default: config `fuseThreshold`, 1.1). */
  readonly threshold?: number;
  /** Judge on the lower end of the speedup's confidence interval instead of its point value. */
  readonly conservative?: boolean;
}

export interface FuseDecision {
  readonly fuse: boolean;
  readonly threshold: number;
  /** The number compared with the threshold: the speedup, or its CI lower bound when conservative. */
  readonly compared: number;
  readonly benefit: FusionBenefit;
  /** One line for logs, e.g. `Conv2d+BN → Conv2d_BN: 1.07× (interpolated) < 1.10: do not fuse`. */
  readonly reason: string;
}

function points(p: FusionPatternProfile): SizePoint[] {
  return p.sizes.map((s) => ({ magnitude: s.magnitude, speedup: s.speedup, lo: s.speedup_ci[0], hi: s.speedup_ci[1], label: s.size }));
}

export class CostModel {
  private readonly known: readonly string[];

  constructor(readonly calibration: Calibration) {
    this.known = calibration.patterns();
  }

  static fromProfile(path: string): CostModel {
    return new CostModel(loadCalibration(path));
  }

  /** The pattern id a query names, or undefined. */
  resolve(patternOrOps: PatternQuery): string | undefined {
    return resolvePattern(patternOrOps, this.known);
  }

  fusionBenefit(patternOrOps: PatternQuery, size?: number, opts: BenefitOptions = {}): FusionBenefit {
    const query = describeQuery(patternOrOps);
    const fallback = opts.default ?? 1;
    const pattern = this.resolve(patternOrOps);
    const entry = pattern === undefined ? undefined : this.calibration.getFusionPattern(pattern);
    const base = { query, pattern };
    if (!entry || entry.sizes.length === 0) {
      return { ...base, speedup: fallback, basis: 'default', extrapolated: false, from: [] };
    }
    if (!entry.correct) {
      const wrong = entry.sizes.filter((s) => !s.fused_correct).map((s) => s.size);
      return { ...base, speedup: INCORRECT_SPEEDUP, basis: 'incorrect', extrapolated: false, from: wrong };
    }
    if (size === undefined) {
      return { ...base, speedup: entry.speedup_factor ?? fallback, basis: 'summary', extrapolated: false, from: entry.sizes.map((s) => s.size) };
    }
    const est = estimateAtSize(points(entry), size);
    return { ...base, speedup: est.speedup, ci: est.ci, basis: est.basis, extrapolated: est.extrapolated, from: est.from };
  }

  /** Whether to fuse, with the numbers and a one-line reason. */
  decide(patternOrOps: PatternQuery, opts: ShouldFuseOptions = {}): FuseDecision {
    const threshold = opts.threshold ?? currentConfig().fuseThreshold;
    const benefit = this.fusionBenefit(patternOrOps, opts.size, opts);
    const compared = opts.conservative && benefit.ci ? benefit.ci[0] : benefit.speedup;
    const fuse = benefit.basis !== 'incorrect' && compared >= threshold;
    const name = benefit.pattern && benefit.pattern !== benefit.query ? `${benefit.query} → ${benefit.pattern}` : benefit.query;
    if (benefit.basis === 'incorrect') {
      return { fuse, threshold, compared, benefit, reason: `${name}: fused result incorrect at ${benefit.from.join(', ')}: do not fuse` };
    }
    const bound = opts.conservative && benefit.ci ? ' (CI lower bound)' : '';
    const basis = benefit.basis === 'extrapolated' ? `extrapolated from ${benefit.from.join(', ')}` : benefit.basis;
    return {
      fuse, threshold, compared, benefit,
      reason: `${name}: ${compared.toFixed(2)}×${bound} (${basis}) ${fuse ? '≥' : '<'} ${threshold.toFixed(2)}×: ${fuse ? 'fuse' : 'do not fuse'}`,
    };
  }

  shouldFuse(patternOrOps: PatternQuery, opts: ShouldFuseOptions = {}): boolean {
    return this.decide(patternOrOps, opts).fuse;
  }
}
