/** Every report table goes through `markdown-table`; cells are escaped here so data can never break a row. */
import { markdownTable } from 'markdown-table';

export type Align = 'l' | 'r' | 'c';

/** Makes arbitrary text safe inside a GFM table cell: no row breaks, no column breaks. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A GFM table; `align` gives one letter per column (default: left). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly Align[]): string {
  const width = header.length;
  for (const [i, row] of rows.entries()) {
    if (row.length !== width) throw new Error(`report table "${header.join(' | ')}": row ${i} has ${row.length} cells, expected ${width}`);
  }
  return markdownTable([header.map(cell), ...rows.map((r) => r.map(cell))], { align: align ? [...align] : 'l' });
}
