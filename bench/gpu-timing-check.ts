/**
 * Checks a GPU run against the device-timing targets, from its results.json alone:
 * - wherever a fused call takes ≥ --min-device-ms of device time, the verdict speedup (throughput) agrees with the
 *   device-time speedup within --tolerance; every exception is listed with whether it is launch-bound (the host
 *   issues a call more slowly than the device runs it: throughput per call well above device time per call);
 * - the harness's per-call overhead against bare tfjs dispatch of the same 1-element op;
 * - the fused ternary kernel's bandwidth at its largest size (bytes read and written ÷ device time).
 *
 *   npx tsx bench/gpu-timing-check.ts results.json [--min-device-ms 0.02] [--tolerance 0.15] [--json out.json]
 * Exit code 0 when every non-launch-bound size agrees, 1 otherwise, 2 on bad input.
 */
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../harness/core/io.ts';
import { loadResults } from '../harness/schema.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'min-device-ms': { type: 'string', default: '0.02' }, tolerance: { type: 'string', default: '0.15' }, json: { type: 'string' } },
});
const minDeviceMs = Number(values['min-device-ms']);
const tolerance = Number(values.tolerance);
if (positionals.length !== 1 || !(minDeviceMs >= 0) || !(tolerance > 0)) {
  console.error('usage: gpu-timing-check results.json [--min-device-ms 0.02] [--tolerance 0.15] [--json out.json]');
  process.exit(2);
}
const results = loadResults(positionals[0]!);

/** A call is launch-bound when its pipelined time exceeds its device time by this factor. */
const LAUNCH_BOUND = 1.5;

interface Row {
  readonly pattern: string;
  readonly backend: string;
  readonly size: string;
  readonly fusedDeviceMs: number;
  readonly verdictSpeedup: number;
  readonly deviceSpeedup: number;
  readonly difference: number;
  readonly agrees: boolean;
  readonly launchBound: boolean;
}

const rows: Row[] = [];
for (const p of results.patterns) {
  for (const r of p.results) {
    if (r.status !== 'ok' || !r.unfused || !r.fused || !r.speedup) continue;
    const du = r.unfused.deviceMs, df = r.fused.deviceMs;
    if (du === undefined || df === undefined || df < minDeviceMs) continue;
    const deviceSpeedup = du / df;
    const difference = r.speedup.ratio / deviceSpeedup - 1;
    const launchBound = r.unfused.throughputMs > LAUNCH_BOUND * du || r.fused.throughputMs > LAUNCH_BOUND * df;
    rows.push({ pattern: p.id, backend: r.backend, size: r.size, fusedDeviceMs: df, verdictSpeedup: r.speedup.ratio, deviceSpeedup, difference, agrees: Math.abs(difference) <= tolerance, launchBound });
  }
}

const overhead = results.backends.filter((b) => b.harnessOverheadMs !== undefined).map((b) => ({
  backend: b.name, harnessUs: b.harnessOverheadMs! * 1000, bareUs: (b.bareDispatchMs ?? Number.NaN) * 1000,
  aboveBareUs: (b.harnessOverheadMs! - (b.bareDispatchMs ?? Number.NaN)) * 1000,
}));

const ternary = results.patterns.find((p) => p.id === 'Ternary_tadd_tnot')?.results
  .filter((r) => r.status === 'ok' && r.fused)
  .map((r) => ({
    backend: r.backend, size: r.size,
    deviceTBs: r.fused!.deviceMs ? r.cost.bytesFused / (r.fused!.deviceMs * 1e9) : undefined,
    throughputTBs: r.cost.bytesFused / (r.fused!.throughputMs * 1e9),
    magnitude: r.magnitude,
  }))
  .sort((a, b) => b.magnitude - a.magnitude) ?? [];

const misses = rows.filter((r) => !r.agrees);
const hardMisses = misses.filter((r) => !r.launchBound);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
console.log(`${rows.length} sizes with fused device time ≥ ${minDeviceMs * 1000} µs; ${rows.length - misses.length} agree within ${tolerance * 100}%; ` +
  `${misses.length - hardMisses.length} exceptions are launch-bound; ${hardMisses.length} are not.`);
for (const r of misses) {
  console.log(`  ${r.launchBound ? 'launch-bound ' : 'MISS         '} ${r.backend.padEnd(7)} ${r.pattern.padEnd(24)} ${r.size.padEnd(18)} verdict ${r.verdictSpeedup.toFixed(2)}× vs device ${r.deviceSpeedup.toFixed(2)}× (${pct(r.difference)}), fused device ${(r.fusedDeviceMs * 1000).toFixed(1)} µs`);
}
for (const o of overhead) console.log(`harness overhead ${o.backend}: ${o.harnessUs.toFixed(2)} µs per call vs bare dispatch ${o.bareUs.toFixed(2)} µs (${o.aboveBareUs.toFixed(2)} µs above)`);
for (const t of ternary.slice(0, 2)) {
  console.log(`Ternary_tadd_tnot ${t.backend} ${t.size}: ${t.deviceTBs?.toFixed(2) ?? '—'} TB/s by device time, ${t.throughputTBs.toFixed(2)} TB/s by throughput`);
}
if (values.json) writeFileAtomic(values.json, `${JSON.stringify({ source: positionals[0], minDeviceMs, tolerance, rows, overhead, ternary }, null, 2)}\n`);
process.exit(hardMisses.length ? 1 : 0);
