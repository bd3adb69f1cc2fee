/** Title block: what this report is, when the run happened, on what, with which command. */
import type { ReportModel } from '../model.ts';
import { code, utcDate } from '../format.ts';
import { machinePhrase } from '../text.ts';

export function header(m: ReportModel): string {
  const r = m.results;
  const lines = [
    '# fusebench: Operator Fusion Verdict Report',
    '',
    `**Date:** ${utcDate(r.createdAt)}  `,
    `**Machine:** ${machinePhrase(m)} (host ${code(r.machine.hostname)}), Node ${r.machine.node}, tfjs ${r.machine.tfjs}  `,
    `**Run:** ${code(r.command)}${r.quick ? ' (quick mode: the quick size set, fewer rounds)' : ''}  `,
    `**Question:** does fusing operations pay off on each TensorFlow.js backend, pattern by pattern and size by size?`,
  ];
  return lines.join('\n');
}
