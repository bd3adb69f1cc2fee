/**
 * `--fusion-patterns all|linear,conv,attention|<ids>`: pattern ids and family names, families matched
 * without regard to case. An unknown name is an error that lists every valid id and family.
 */
import type { RegisteredSuite } from '../core/types.ts';

export class UnknownPatternError extends Error {
  constructor(readonly unknown: readonly string[], readonly ids: readonly string[], readonly families: readonly string[]) {
    super(`--fusion-patterns: no pattern or family ${unknown.map((u) => `"${u}"`).join(', ')}`);
    this.name = 'UnknownPatternError';
  }
}

/** The valid ids and families, for usage messages. */
export function patternCatalogue(suites: readonly RegisteredSuite[]): { ids: string[]; families: string[] } {
  return {
    ids: [...new Set(suites.map((s) => s.spec.id))].sort(),
    families: [...new Set(suites.map((s) => s.spec.family))].sort(),
  };
}

export function catalogueText(suites: readonly RegisteredSuite[]): string {
  const { ids, families } = patternCatalogue(suites);
  if (ids.length === 0) return 'valid pattern ids: none (no suite files found)';
  return `valid pattern ids:\n  ${ids.join('\n  ')}\nfamilies: ${families.join(', ')}\nor: all`;
}

export function selectPatterns(suites: readonly RegisteredSuite[], selector: string): RegisteredSuite[] {
  const wanted = selector.split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0 || (wanted.length === 1 && wanted[0].toLowerCase() === 'all')) return [...suites];
  const { ids, families } = patternCatalogue(suites);
  const lowerFamilies = new Set(families.map((f) => f.toLowerCase()));
  const unknown = wanted.filter((w) => !ids.includes(w) && !lowerFamilies.has(w.toLowerCase()));
  if (unknown.length) throw new UnknownPatternError(unknown, ids, families);
  const lowerWanted = new Set(wanted.map((w) => w.toLowerCase()));
  return suites.filter((s) => wanted.includes(s.spec.id) || lowerWanted.has(s.spec.family.toLowerCase()));
}
