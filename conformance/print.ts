/** The console report of a run: per test file counts, totals, what failed and why, memory, the verdict. */
import { table } from '../harness/report/table.ts';
import type { ConformanceSummary, Counts } from './summary.ts';
import { EXCLUSION_REASONS } from './filters.ts';

const LIST_LIMIT = 40;

function totalsLine(label: string, c: Counts): string {
  return `${label}: ${c.specs} specs — ${c.passed} passed, ${c.failed} failed, ${c.notImplemented} hit an unimplemented kernel, ` +
    `${c.dtypeUnsupported} an unsupported dtype, ${c.excluded} excluded by the filter list, ${c.pending} pending`;
}

export function formatSummary(s: ConformanceSummary): string {
  const out: string[] = [];
  const rows = s.files.map((f) => [f.file, String(f.passed), String(f.failed), String(f.notImplemented + f.dtypeUnsupported), String(f.excluded + f.pending)]);
  out.push(table(['test file', 'pass', 'fail', 'not impl. / dtype', 'skip'], rows, ['l', 'r', 'r', 'r', 'r']), '');
  out.push(`backend ${s.backend}: ${s.device}`);
  out.push(totalsLine('tfjs-core tests', s.tfjs));
  out.push(totalsLine('fusebench specs', s.fusebench));
  if (s.tfjsPassRate !== null) out.push(`tfjs-core pass rate over the specs the backend's kernels run (passed / (passed + failed)): ${(100 * s.tfjsPassRate).toFixed(2)}%`);
  const kernels = Object.entries(s.notImplementedKernels).sort((a, b) => b[1] - a[1]);
  if (kernels.length) out.push(`unimplemented kernels hit (${kernels.length}): ${kernels.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  const dtypes = Object.entries(s.unsupportedDtypes ?? {}).sort((a, b) => b[1] - a[1]);
  if (dtypes.length) out.push(`unsupported dtypes hit: ${dtypes.map(([d, n]) => `${d} ×${n}`).join(', ')}`);
  const trips = Object.entries(s.hostTrips ?? {}).sort((a, b) => b[1] - a[1]);
  if (trips.length) out.push(`host round trips in kernels (fallback kernels, value read-backs): ${trips.map(([c, n]) => `${c} ×${n}`).join(', ')}`);
  const byReason = Object.keys(EXCLUSION_REASONS).map((r) => [r, s.exclusions.filter((e) => e.reason === r).length] as const).filter(([, n]) => n > 0);
  if (byReason.length) out.push(`excluded by reason: ${byReason.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  if (s.staleExclusions.length) out.push(`warning: exclusions that matched no spec (remove them from conformance/filters.ts): ${s.staleExclusions.join('; ')}`);
  if (s.failureGroups.length) {
    out.push('', 'failures by message:');
    for (const g of s.failureGroups.slice(0, LIST_LIMIT)) out.push(`  ${String(g.count).padStart(4)}  ${g.message}`);
    out.push('', `failed specs${s.failures.length > LIST_LIMIT ? ` (first ${LIST_LIMIT} of ${s.failures.length}; all in --json)` : ''}:`);
    for (const f of s.failures.slice(0, LIST_LIMIT)) out.push(`  ${f.file}: ${f.spec}\n      ${(f.messages[0] ?? '').split('\n')[0]}`);
  }
  for (const e of s.errors) out.push(`error: ${e.split('\n').slice(0, 4).join('\n    ')}`);
  const m = s.memory;
  const dev = (x: { deviceBytes?: number }): string => (x.deviceBytes === undefined ? '' : `, ${x.deviceBytes} device bytes`);
  const known = m.leakedSpecs.filter((l) => l.known).length;
  out.push('', `memory: start ${m.start.numTensors} tensors / ${m.start.numBytes} bytes${dev(m.start)}; end ${m.end.numTensors} tensors / ${m.end.numBytes} bytes${dev(m.end)}; ` +
    `${m.leakedSpecs.length - known} spec(s) left tensors or bytes behind, ${known} known leak(s) allowed (tfjs-core's own, or excluded specs) (${m.knownLeakDeviceBytes} device bytes)`);
  for (const l of m.leakedSpecs.slice(0, LIST_LIMIT)) {
    out.push(`  ${l.known ? 'known leak' : 'LEAK'}: ${l.file}: ${l.spec}: +${l.tensors} tensors, +${l.bytes} bytes, +${l.deviceBytes} device bytes${l.known ? ` (${l.known})` : ''}`);
  }
  out.push(`${s.verdict} (${(s.durationMs / 1000).toFixed(1)} s)`);
  return out.join('\n');
}
