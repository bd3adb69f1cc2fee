/**
 * Bundles conformance/entry.ts with the selected test files into one CommonJS file (esbuild), as the note
 * shared/notes/tfjs-core-op-tests.md found necessary: tfjs-core's test files are ES modules written for a
 * bundler (directory imports, paths without extensions, a `require` of jasmine-core inside an ES module).
 * - `mainFields: module, main`: tfjs-core resolves to dist/index.js for the tests, the backends and our
 *   kernels alike, so they share one instance (Node's default would load dist/tf-core.node.js a second time);
 * - `ignoreAnnotations`: tfjs-core's package.json declares `sideEffects`, which would drop test files that are
 *   imported only for their side effects;
 * - native packages and jasmine-core stay external (loaded from node_modules at run time).
 * Each test file becomes a lazy loader, so the runner imports them one by one after the backend is active.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestFile } from './test-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages that are native, optional or must be the runtime's own copy: required at run time, never bundled. */
const EXTERNAL = ['koffi', 'webgpu', 'jasmine-core', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

/** Source of the generated entry: entry.ts's exports plus `testFiles`, one lazy import per file. */
export function entrySource(files: readonly TestFile[]): string {
  const loaders = files.map((f) => `  ${JSON.stringify(f.id)}: () => import(${JSON.stringify(f.module)}),`);
  return `export * from './conformance/entry.ts';\nexport const testFiles = {\n${loaders.join('\n')}\n};\n`;
}

/**
 * Writes the bundle under node_modules/.cache (so its run-time requires resolve from this checkout's
 * node_modules) and returns its path; one file per process, so concurrent runs never share one.
 */
export async function buildBundle(files: readonly TestFile[]): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', 'fusebench-conformance');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `bundle-${process.pid}.cjs`);
  await build({
    stdin: { contents: entrySource(files), resolveDir: ROOT, loader: 'ts', sourcefile: 'conformance-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    ignoreAnnotations: true,
    external: EXTERNAL,
    outfile,
    logLevel: 'error',
  });
  return outfile;
}
