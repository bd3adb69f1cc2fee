/**
 * Suite notes, each written once: every distinct note of the run gets a number in order of first appearance, so a
 * note that many patterns share (the same caveat on sixteen compositions) is printed once in DETAILS.md and
 * referenced by number everywhere else.
 */
import type { PatternResult, RunResults } from '../core/types.ts';
import { DETAILS_FILE } from './text.ts';

export interface RunNote {
  readonly number: number;
  readonly text: string;
  /** Ids of the patterns that carry it, in results order. */
  readonly patterns: readonly string[];
}

export function runNotes(results: RunResults): RunNote[] {
  const byText = new Map<string, { number: number; patterns: string[] }>();
  for (const p of results.patterns) {
    for (const n of p.notes) {
      const text = n.replace(/\s*\n\s*/g, ' ').trim();
      const entry = byText.get(text) ?? { number: byText.size + 1, patterns: [] };
      if (!entry.patterns.includes(p.id)) entry.patterns.push(p.id);
      byText.set(text, entry);
    }
  }
  return [...byText.entries()].map(([text, e]) => ({ number: e.number, text, patterns: e.patterns }));
}

/** The anchor of a note in DETAILS.md. */
export const noteAnchor = (n: number): string => `note-${n}`;

/** The notes of one pattern, in the run's numbering. */
export function notesOf(p: PatternResult, notes: readonly RunNote[]): RunNote[] {
  return notes.filter((n) => n.patterns.includes(p.id));
}

/** `[note 3](DETAILS.md#note-3)`; inside DETAILS.md itself, `[note 3](#note-3)`. */
export function noteLink(n: RunNote, within: 'report' | 'details'): string {
  return `[note ${n.number}](${within === 'report' ? DETAILS_FILE : ''}#${noteAnchor(n.number)})`;
}
