/** Title blocks: what the file is, when the run happened, on what, with which command. */
import type { ReportModel } from '../model.ts';
import { code, utcDate } from '../format.ts';
import { DETAILS_FILE, machinePhrase } from '../text.ts';

function runLine(m: ReportModel): string {
  const r = m.results;
  const shards = r.shards?.length ? ` (merged from ${r.shards.length} shards)` : '';
  return `**Run:** ${code(r.command)}${r.quick ? ' (quick mode: the quick size set, fewer rounds)' : ''}${shards} on ${machinePhrase(m)} (host ${code(r.machine.hostname)}), ` +
    `Node ${r.machine.node}, tfjs ${r.machine.tfjs}, ${utcDate(r.createdAt)}  `;
}

/** REPORT.md's title block. */
export function header(m: ReportModel): string {
  const backends = m.ran.map((b) => b.status.name).join(', ') || 'no backend';
  return [
    `# fusebench: Operator Fusion Verdict (${backends})`,
    '',
    runLine(m),
    `**Question:** does fusing operations pay off on each TensorFlow.js backend, family by family and size by size? ` +
      `Every figure here is computed from \`results.json\` beside this file; per-size tables, kernels, notes and methodology are in [${DETAILS_FILE}](${DETAILS_FILE}).`,
  ].join('\n');
}

/** DETAILS.md's title block. */
export function detailsHeader(m: ReportModel): string {
  return [
    '# fusebench: Details of the Run',
    '',
    runLine(m),
    '**What this is:** every per-size figure behind [REPORT.md](REPORT.md) (the decision), with the machine, the methodology, the kernels launched and the suites\' notes.',
  ].join('\n');
}
