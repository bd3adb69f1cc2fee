/**
 * The layering rules of the source tree, as a pure function over "file → relative imports":
 * - harness/core/ is the ground floor: it imports nothing of ours outside harness/core/;
 * - backends/ and kernels/ import, of the harness, only harness/core/;
 * - backends/ imports nothing from kernels/ (a backend knows no fusebench kernel);
 * - studies/ (a study built on fusebench) reaches fusebench only as a user does, through `'fusebench'`: of ours it
 *   imports, by relative path, nothing outside studies/.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

export interface LayerViolation {
  readonly file: string;
  readonly imports: string;
  readonly rule: string;
}

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** Relative import targets of one source file, as paths relative to `root`. */
export function relativeImports(root: string, file: string, source = readFileSync(resolve(root, file), 'utf8')): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT)) out.push(relative(root, resolve(root, dirname(file), m[2]!)));
  return out;
}

const under = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

export function layerViolations(graph: ReadonlyMap<string, readonly string[]>): LayerViolation[] {
  const found: LayerViolation[] = [];
  for (const [file, targets] of graph) {
    for (const t of targets) {
      if (under(file, 'harness/core') && !under(t, 'harness/core')) {
        found.push({ file, imports: t, rule: 'harness/core imports only harness/core' });
      }
      if ((under(file, 'backends') || under(file, 'kernels')) && under(t, 'harness') && !under(t, 'harness/core')) {
        found.push({ file, imports: t, rule: 'backends/ and kernels/ import only harness/core of the harness' });
      }
      if (under(file, 'backends') && under(t, 'kernels')) {
        found.push({ file, imports: t, rule: 'backends/ imports nothing from kernels/' });
      }
      if (under(file, 'studies') && !under(t, 'studies')) {
        found.push({ file, imports: t, rule: "studies/ uses fusebench through 'fusebench' only" });
      }
    }
  }
  return found;
}
