/** Selecting patterns by id or family (`--patterns` / FUSEBENCH_PATTERNS) with errors that name the source. */
import { UsageError } from './core/errors.ts';
import type { RegisteredSuite } from './core/types.ts';

export function selectSuites(suites: readonly RegisteredSuite[], selector: string | undefined, source: string): RegisteredSuite[] {
  if (!selector || selector.trim() === '' || selector.trim() === 'all') return [...suites];
  const wanted = selector.split(',').map((s) => s.trim()).filter(Boolean);
  const ids = new Set(suites.map((s) => s.spec.id));
  const families = new Set(suites.map((s) => s.spec.family));
  for (const w of wanted) {
    if (!ids.has(w) && !families.has(w)) {
      throw new UsageError(`${source}: no pattern or family "${w}"; patterns: ${[...ids].sort().join(', ')}; families: ${[...families].sort().join(', ')}`);
    }
  }
  return suites.filter((s) => wanted.includes(s.spec.id) || wanted.includes(s.spec.family));
}

/** Whether one suite is picked by a selector (no validation: see selectSuites). */
export function matchesSelector(spec: { readonly id: string; readonly family: string }, selector: string | undefined): boolean {
  if (!selector || selector.trim() === '' || selector.trim() === 'all') return true;
  const wanted = selector.split(',').map((s) => s.trim());
  return wanted.includes(spec.id) || wanted.includes(spec.family);
}
