/** Selecting suites and pipelines by id or family (`--patterns` / FUSEBENCH_PATTERNS) with errors that name the source. */
import { UsageError } from './core/errors.ts';
import type { RegisteredPipeline, RegisteredSuite } from './core/types.ts';

const words = (selector: string | undefined): string[] | undefined => {
  if (!selector || selector.trim() === '' || selector.trim() === 'all') return undefined;
  return selector.split(',').map((s) => s.trim()).filter(Boolean);
};

export function selectSuites(suites: readonly RegisteredSuite[], selector: string | undefined, source: string): RegisteredSuite[] {
  return selectDeclared({ suites, pipelines: [] }, selector, source).suites;
}

export interface Selection {
  readonly suites: RegisteredSuite[];
  readonly pipelines: RegisteredPipeline[];
  /** Micro suites added because a selected pipeline's Amdahl prediction needs them. */
  readonly added: string[];
}

/**
 * The suites and pipelines a selector picks (all of them without one). A selected pipeline brings its micro suite
 * along when that suite is declared: its speedup in the same run feeds the pipeline's Amdahl prediction.
 */
export function selectDeclared(
  all: { readonly suites: readonly RegisteredSuite[]; readonly pipelines: readonly RegisteredPipeline[] }, selector: string | undefined, source: string,
): Selection {
  const wanted = words(selector);
  if (!wanted) return { suites: [...all.suites], pipelines: [...all.pipelines], added: [] };
  const specs = [...all.suites, ...all.pipelines].map((d) => d.spec);
  const ids = new Set(specs.map((s) => s.id));
  const families = new Set(specs.map((s) => s.family));
  for (const w of wanted) {
    if (!ids.has(w) && !families.has(w)) {
      throw new UsageError(`${source}: no pattern, pipeline or family "${w}"; patterns: ${all.suites.map((s) => s.spec.id).sort().join(', ')}` +
        `${all.pipelines.length ? `; pipelines: ${all.pipelines.map((p) => p.spec.id).sort().join(', ')}` : ''}; families: ${[...families].sort().join(', ')}`);
    }
  }
  const picked = (spec: { readonly id: string; readonly family: string }): boolean => wanted.includes(spec.id) || wanted.includes(spec.family);
  const pipelines = all.pipelines.filter((p) => picked(p.spec));
  const micro = new Set(pipelines.map((p) => p.spec.micro));
  const suites = all.suites.filter((s) => picked(s.spec) || micro.has(s.spec.id));
  const added = suites.filter((s) => !picked(s.spec)).map((s) => s.spec.id);
  return { suites, pipelines, added };
}

/** Whether one suite or pipeline is picked by a selector (no validation: see selectDeclared). */
export function matchesSelector(spec: { readonly id: string; readonly family: string }, selector: string | undefined): boolean {
  const wanted = words(selector);
  return !wanted || wanted.includes(spec.id) || wanted.includes(spec.family);
}
