/**
 * The fuse/avoid decision for a whole pattern on one profile, aware of size: a pattern that pays off only
 * at some sizes is "conditional", with the sizes named. Each size is judged on its point speedup, as
 * `CostModel.shouldFuse` does by default; sizes whose confidence interval holds the threshold are counted
 * in the text, so a reader sees when a decision rests on inconclusive sizes.
 */
import type { FusionPatternProfile } from './types.ts';
import { times } from '../report/format.ts';

export type DecisionKind = 'fuse' | 'conditional' | 'avoid' | 'incorrect' | 'unmeasured';

export interface PatternDecision {
  readonly kind: DecisionKind;
  /** Table text, e.g. `fuse`, `conditional: fuse from 1024×1024`, `avoid (✗ incorrect)`. */
  readonly text: string;
}

export function patternDecision(p: FusionPatternProfile | undefined, threshold: number): PatternDecision {
  if (!p || p.sizes.length === 0) return { kind: 'unmeasured', text: 'not measured' };
  if (!p.correct) {
    const wrong = p.sizes.filter((s) => !s.fused_correct).map((s) => s.size);
    return { kind: 'incorrect', text: `avoid (✗ incorrect at ${wrong.join(', ')})` };
  }
  const pass = p.sizes.map((s) => s.speedup >= threshold);
  // sizes whose confidence interval holds the threshold: their side of it is not established
  const open = p.sizes.filter((s) => s.speedup_ci[0] < threshold && threshold <= s.speedup_ci[1]).length;
  const note = open ? ` (CI holds ${times(threshold)} at ${open} of ${p.sizes.length} size${p.sizes.length > 1 ? 's' : ''})` : '';
  if (pass.every(Boolean)) return { kind: 'fuse', text: `fuse${note}` };
  if (!pass.some(Boolean)) return { kind: 'avoid', text: `avoid${note}` };
  const first = pass.indexOf(true);
  const upperTail = pass.slice(first).every(Boolean);
  const text = upperTail
    ? `conditional: fuse from ${p.sizes[first].size}`
    : `conditional: fuse at ${p.sizes.filter((_, i) => pass[i]).map((s) => s.size).join(', ')}`;
  return { kind: 'conditional', text: `${text}${note}` };
}
