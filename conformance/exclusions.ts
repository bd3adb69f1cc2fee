/** Applies and checks the filter list (conformance/filters.ts). */
import { EXCLUSION_REASONS, type Exclusion, type TestFilter } from './filters.ts';

/** The exclusion that leaves out this spec of this file on this backend, if any (first match wins). */
export function exclusionFor(filters: readonly TestFilter[], file: string, fullName: string, backend: string): Exclusion | undefined {
  for (const f of filters) {
    if (f.include !== file) continue;
    const hit = f.excludes.find((e) => e.backends.includes(backend) && fullName.includes(e.spec));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Problems in the list, each naming the entry: an unknown test file, an unknown backend, a reason outside the
 * accepted set, an empty spec or detail, a file listed twice.
 */
export function filterListProblems(filters: readonly TestFilter[], fileExists: (id: string) => boolean, backends: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, f] of filters.entries()) {
    const where = `conformance/filters.ts TEST_FILTERS[${i}] (include "${f.include}")`;
    if (!fileExists(f.include)) problems.push(`${where}: no such test file`);
    if (seen.has(f.include)) problems.push(`${where}: the file is listed twice; keep one entry per file`);
    seen.add(f.include);
    for (const [j, e] of f.excludes.entries()) {
      const at = `${where} excludes[${j}] ("${e.spec}")`;
      if (!e.spec.trim()) problems.push(`${at}: empty spec name`);
      if (!(e.reason in EXCLUSION_REASONS)) problems.push(`${at}: reason "${e.reason}" is not one of ${Object.keys(EXCLUSION_REASONS).join(', ')}`);
      if (!e.detail.trim()) problems.push(`${at}: no detail beside the reason`);
      if (e.backends.length === 0) problems.push(`${at}: no backends`);
      for (const b of e.backends) if (!backends.includes(b)) problems.push(`${at}: unknown backend "${b}"`);
    }
  }
  return problems;
}
