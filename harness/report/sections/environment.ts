/** The machine and every backend the run knew about, available or not, with reasons and install hints. */
import type { BackendStatus, DeviceInfo } from '../../core/types.ts';
import type { ReportModel } from '../model.ts';
import { code, ms, percent } from '../format.ts';
import { table } from '../table.ts';

const SHOWN_ELSEWHERE = new Set(['description', 'threads', 'threadsUsed']);

/** Whether a backend ran on several threads, from what its adapter reported. */
export function threadsCell(device: DeviceInfo | undefined): string {
  if (!device) return '—';
  const n = device.threads;
  if (typeof device.threadsUsed === 'boolean') {
    return device.threadsUsed ? `yes${typeof n === 'number' ? ` (${n} threads)` : ''}` : 'no (single-threaded)';
  }
  if (typeof n === 'number') return n === 1 ? '1 (single thread)' : `${n}`;
  return '—';
}

function deviceCell(b: BackendStatus): string {
  if (!b.device) return '—';
  const extra = Object.entries(b.device)
    .filter(([k]) => !SHOWN_ELSEWHERE.has(k))
    .map(([k, v]) => `${k}: ${String(v)}`);
  return extra.length ? `${b.device.description} (${extra.join(', ')})` : b.device.description;
}

function machineTable(m: ReportModel): string {
  const x = m.results.machine;
  return table(['Component', 'Details'], [
    ['CPU', `${x.cpuModel}, ${x.cores} cores`],
    ['Memory', `${x.memoryGiB} GiB`],
    ['GPU', x.gpu ?? 'none detected'],
    ['OS', x.os],
    ['Node', x.node],
    ['TensorFlow.js', `tfjs-core ${x.tfjs}`],
    ['Host', x.hostname],
  ]);
}

function backendsTable(m: ReportModel): string {
  const rows = m.results.backends.map((b) => [
    code(b.name),
    b.kind,
    b.available ? '✓ available' : '✗ unavailable',
    b.reason ?? '—',
    b.installHint ? code(b.installHint) : '—',
    deviceCell(b),
    threadsCell(b.device),
    b.harnessOverheadMs === undefined ? '—' : `${ms(b.harnessOverheadMs)} ms`,
  ]);
  return table(['Backend', 'Kind', 'Status', 'Reason / how it runs', 'Install hint', 'Device', 'Threads used', 'Harness overhead / call'], rows);
}

/** A drop of the SM clock by more than this share between a backend's start and end is called out. */
export const CLOCK_DROP = 0.1;

/** The GPU's clock, temperature and power at the start and end of each GPU backend's run, and whether the clock fell. */
export function deviceStateLines(m: ReportModel): string[] {
  const out: string[] = [];
  for (const b of m.results.backends) {
    const s = b.deviceState;
    if (!s) continue;
    const fall = 1 - s.end.smClockMHz / s.start.smClockMHz;
    const line = `${code(b.name)}: SM clock ${s.start.smClockMHz} → ${s.end.smClockMHz} MHz, ${s.start.temperatureC} → ${s.end.temperatureC} °C, ` +
      `${s.start.powerW.toFixed(0)} → ${s.end.powerW.toFixed(0)} W (start → end of its run).`;
    out.push(fall > CLOCK_DROP
      ? `- ⚠ ${line} The clock fell by ${percent(fall)}: this backend's later results may be throttled.`
      : `- ${line}`);
  }
  return out;
}

export function environment(m: ReportModel): string {
  const out = ['## Machine and Backends', '', machineTable(m), '', backendsTable(m)];
  if (m.results.backends.length === 0) out.push('', 'No backend was selected for this run.');
  const shards = m.results.shards ?? [];
  if (shards.length) {
    const same = new Set(shards.map((s) => `${s.machine.cpuModel}|${s.machine.cores}|${s.machine.gpu ?? ''}`)).size === 1;
    out.push('', `**Shards.** This run was merged from ${shards.length} shards ${same ? 'on the same hardware' : 'on different hardware, so each shard\'s backends are reported apart (`<backend>@<label>`)'}: ` +
      `${shards.map((s) => `${code(s.label)} on ${s.machine.hostname} (${s.machine.cpuModel}, ${s.machine.cores} cores${s.machine.gpu ? `, ${s.machine.gpu}` : ''})`).join('; ')}.`);
  }
  const states = deviceStateLines(m);
  if (states.length) out.push('', '**GPU state** (nvidia-smi):', '', ...states);
  const evicted = m.results.backends.filter((b) => b.evictionMethod);
  if (m.results.sampling.cache === 'cold') {
    out.push('', `**Cold caches.** Before every sample: ${evicted.map((b) => `${code(b.name)}: ${b.evictionMethod}`).join('; ') || 'each backend\'s eviction'}.`);
  }
  return out.join('\n');
}
