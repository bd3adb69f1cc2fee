/** `fusebench backends`: every known backend, available or not, with the reason and an install hint. */
import { markdownTable } from 'markdown-table';
import { detectAll } from '../../backends/registry.ts';
import { parseFlags } from './args.ts';

/** Table cells stay on one line: multi-line reasons (a list of paths tried) are joined with '; '. */
const oneLine = (s: string | undefined): string => (s ?? '').replace(/\s*\n\s*/g, '; ');

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } }, false);
  const all = await detectAll();
  if (values.json) {
    console.log(JSON.stringify(all, null, 2));
    return 0;
  }
  console.log(markdownTable([
    ['backend', 'kind', 'status', 'reason', 'install hint'],
    ...all.map((b) => [b.name, b.kind, b.available ? '✓ available' : '✗ unavailable', oneLine(b.reason), oneLine(b.installHint)]),
  ]));
  return 0;
}
