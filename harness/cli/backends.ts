/** `fusebench backends`: every known backend, available or not, with the reason and an install hint. */
import { markdownTable } from 'markdown-table';
import { detectAll } from '../../backends/registry.ts';
import { parseFlags } from './args.ts';

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } }, false);
  const all = await detectAll();
  if (values.json) {
    console.log(JSON.stringify(all, null, 2));
    return 0;
  }
  console.log(markdownTable([
    ['backend', 'kind', 'status', 'reason', 'install hint'],
    ...all.map((b) => [b.name, b.kind, b.available ? '✓ available' : '✗ unavailable', b.reason ?? '', b.installHint ?? '']),
  ]));
  return 0;
}
