/** `fusebench backends`: every known backend, available or not, with the reason and an install hint. */
import { markdownTable } from 'markdown-table';
import { detectAll, getAdapter } from '../../backends/registry.ts';
import { parseFlags } from './args.ts';

/** Table cells stay on one line: multi-line reasons (a list of paths tried) are joined with '; '. */
const oneLine = (s: string | undefined): string => (s ?? '').replace(/\s*\n\s*/g, '; ');

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } }, false);
  const all = await detectAll();
  const fallbacks = new Map<string, Readonly<Record<string, string>>>();
  for (const b of all) {
    const kernels = await getAdapter(b.name).then((a) => a.fallbackKernels, () => undefined);
    if (kernels && Object.keys(kernels).length > 0) fallbacks.set(b.name, kernels);
  }
  if (values.json) {
    console.log(JSON.stringify(all.map((b) => (fallbacks.has(b.name) ? { ...b, fallbackKernels: fallbacks.get(b.name) } : b)), null, 2));
    return 0;
  }
  console.log(markdownTable([
    ['backend', 'kind', 'status', 'reason', 'install hint'],
    ...all.map((b) => [b.name, b.kind, b.available ? '✓ available' : '✗ unavailable', oneLine(b.reason), oneLine(b.installHint)]),
  ]));
  for (const [name, kernels] of fallbacks) {
    console.log(`\n${name}: kernels that run on the host through the counted fallback (a variant calling one is never timed):`);
    console.log(markdownTable([['kernel', 'why not native'], ...Object.entries(kernels)]));
  }
  return 0;
}
