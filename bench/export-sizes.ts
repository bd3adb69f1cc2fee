/**
 * Writes every suite's sizes as JSON, so that bench/torch-reference.py measures PyTorch at exactly the sizes
 * fusebench runs: { schema, createdAt, patterns: { <id>: { family, title, full: [{ label, params, magnitude }], quick: [...] } } }.
 *   npx tsx bench/export-sizes.ts --out sizes.json     (no --out: JSON on stdout)
 */
import { writeFileAtomic } from '../harness/core/io.ts';
import { loadSuiteFiles } from '../harness/load.ts';
import type { SizeParams, SuiteSpec } from '../harness/core/types.ts';

export interface ExportedSize {
  readonly label: string;
  readonly params: SizeParams;
  readonly magnitude: number;
}

export interface ExportedSizes {
  readonly schema: 'fusebench/sizes@1';
  readonly createdAt: string;
  readonly patterns: Readonly<Record<string, { readonly family: string; readonly title: string; readonly full: readonly ExportedSize[]; readonly quick: readonly ExportedSize[] }>>;
}

export function exportSizes(specs: readonly SuiteSpec[]): ExportedSizes {
  const patterns: Record<string, ExportedSizes['patterns'][string]> = {};
  for (const s of specs) {
    const one = (p: SizeParams): ExportedSize => ({ label: s.label(p), params: { ...p }, magnitude: s.magnitude(p) });
    patterns[s.id] = { family: s.family, title: s.title, full: s.sizes.full.map(one), quick: s.sizes.quick.map(one) };
  }
  return { schema: 'fusebench/sizes@1', createdAt: new Date().toISOString(), patterns };
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--out');
  if (i >= 0 && !argv[i + 1]) {
    console.error('export-sizes: --out needs a file path');
    return 2;
  }
  const suites = await loadSuiteFiles();
  const text = JSON.stringify(exportSizes(suites.map((r) => r.spec)), null, 2);
  if (i < 0) {
    console.log(text);
    return 0;
  }
  const out = argv[i + 1]!;
  writeFileAtomic(out, text);
  console.error(`export-sizes: ${suites.length} patterns → ${out}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
