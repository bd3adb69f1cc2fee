/**
 * Evidence that the gate neither cries wolf nor sleeps, on the built-in suites, the way CI runs them:
 *
 *   npx tsx bench/gate-evidence.ts [--pairs 10] [--extra 0.15] [--patterns LayerNorm,Linear_Bias_GELU,Conv2d_BN_ReLU]
 *                                  [--backends cpu,wasm] [--wait-load 1.5] [--b-all] [--out DIR]
 *   npx tsx bench/gate-evidence.ts --regate EARLIER_OUT [--out DIR]
 *
 * For each of `--pairs` rounds, three fresh `fusebench run --quick` processes (every size itself measured in
 * several worker processes): A₁ and A₂ of unchanged code, then B, in which the `--patterns`' fused variants take
 * `--extra` (15%) longer per call (FUSEBENCH_INJECT_SLOWDOWN; harness/measure.ts). B runs only the injected
 * patterns, which is what it is there to show (the A/A gates cover every pattern), unless `--b-all`.
 *   A/A: A₂ gated against a baseline of A₁, and A₁ against A₂: any failing row is a false alarm.
 *   A/B: B gated against A₁: caught when a row of an injected pattern is a regression.
 * The 1-minute load average is recorded before each run; `--wait-load L` first waits (up to 10 minutes) until
 * it is below L. Writes evidence.md and evidence.json (figures, machine, load, command) under --out after every
 * pair, so an interrupted study keeps the pairs it finished (and says how many were asked for), and every
 * run's results.json and every gate's Markdown beside them (in --out/runs, which is large: keep it out of git).
 * `--regate` measures nothing: it gates the runs an earlier study recorded under EARLIER_OUT/runs again, with the
 * gate as it is now (pure arithmetic on recorded rounds), for every pair recorded whole.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { RunResults } from '../harness/core/types.ts';
import { loadConfig } from '../harness/core/config.ts';
import { writeFileAtomic } from '../harness/core/io.ts';
import { machineInfo } from '../harness/machine.ts';
import { baselineFromResults } from '../harness/gate/format.ts';
import { evaluateGate } from '../harness/gate/decide.ts';
import { renderGateMarkdown } from '../harness/gate/render.ts';
import { signedPercent } from '../harness/report/format.ts';
import type { GateOptions, GateReport } from '../harness/gate/types.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '10' },
    extra: { type: 'string', default: '0.15' },
    patterns: { type: 'string', default: 'LayerNorm,Linear_Bias_GELU,Conv2d_BN_ReLU' },
    backends: { type: 'string', default: 'cpu,wasm' },
    'wait-load': { type: 'string' },
    'b-all': { type: 'boolean', default: false },
    regate: { type: 'string' },
    out: { type: 'string', default: 'reports/gate-evidence' },
  },
});
const pairs = Number(values.pairs);
const extra = Number(values.extra);
const injected = values.patterns!.split(',');
const out = resolve(values.out!);
const runsDir = join(out, 'runs');
mkdirSync(runsDir, { recursive: true });

interface Run {
  readonly name: string;
  readonly results: RunResults;
  readonly seconds: number;
  readonly load: number;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const recorded = values.regate ? join(resolve(values.regate), 'runs') : undefined;
const recordedResults = (name: string): string | undefined => {
  const f = recorded ? join(recorded, name, 'results.json') : undefined;
  return f && existsSync(f) ? f : undefined;
};

async function run(name: string, slowdown: boolean): Promise<Run> {
  if (recorded) {
    const f = recordedResults(name);
    if (!f) throw new Error(`--regate: no recorded run ${name} under ${recorded}`);
    return { name, results: JSON.parse(readFileSync(f, 'utf8')) as RunResults, seconds: Number.NaN, load: Number.NaN };
  }
  if (values['wait-load']) {
    const deadline = Date.now() + 10 * 60_000;
    while (loadavg()[0] >= Number(values['wait-load']) && Date.now() < deadline) await sleep(5000);
  }
  const load = loadavg()[0];
  const dir = join(runsDir, name);
  const t0 = performance.now();
  const only = slowdown && !values['b-all'] ? ['--patterns', injected.join(',')] : [];
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/fusebench.mjs'), 'run', '--quick', '--backends', values.backends!, ...only, '--out', dir], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20,
    env: { ...process.env, ...(slowdown ? { FUSEBENCH_INJECT_SLOWDOWN: `${injected.join(',')}:${extra}` } : {}) },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${name}: fusebench run exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  return { name, results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults, seconds, load };
}

function gate(base: Run, current: Run, options: GateOptions): GateReport {
  const { baseline } = baselineFromResults({ file: `${base.name}/results.json`, results: base.results });
  const report = evaluateGate({ baseline, baselineName: base.name, current: current.results, currentName: current.name }, options);
  writeFileSync(join(runsDir, `gate-${current.name}-vs-${base.name}.md`), renderGateMarkdown(report));
  return report;
}

const failing = (r: GateReport): string[] => r.rows.filter((x) => x.class === 'fail')
  .map((x) => `${x.pattern} · ${x.backend} · ${x.size}${x.speedup ? ` (${signedPercent(x.speedup.change)})` : ''}`);

interface Trial {
  readonly arm: 'A/A' | 'A/B';
  readonly pair: number;
  readonly gate: string;
  readonly exitCode: number;
  readonly failing: string[];
  /** A/B: rows of the injected patterns flagged as regressions, and of the others (false alarms). */
  readonly caught: string[];
  readonly otherAlarms: string[];
}

const options: GateOptions = { ...(await loadConfig(ROOT)).gate, times: 'off' };
const trials: Trial[] = [];
const runs: Run[] = [];
const started = performance.now();

function writeEvidence(done: number): string {
  const aa = trials.filter((t) => t.arm === 'A/A');
  const ab = trials.filter((t) => t.arm === 'A/B');
  const summary = {
    machine: machineInfo(),
    date: new Date().toISOString(),
    command: recorded ? `npx tsx bench/gate-evidence.ts --regate ${values.regate}` : `npx tsx bench/gate-evidence.ts --pairs ${pairs} --extra ${extra} --patterns ${injected.join(',')} --backends ${values.backends}${values['wait-load'] ? ` --wait-load ${values['wait-load']}` : ''}${values['b-all'] ? ' --b-all' : ''}`,
    pairsAsked: pairs,
    pairsDone: done,
    bRuns: values['b-all'] ? 'every pattern' : `the injected patterns only (${injected.join(', ')})`,
    options,
    totalMinutes: (performance.now() - started) / 60000,
    // Re-gated runs were not measured now: their loads and times are in the study that recorded them.
    ...(recorded ? {} : {
      load: { min: Math.min(...runs.map((r) => r.load)), max: Math.max(...runs.map((r) => r.load)) },
      runSeconds: { min: Math.min(...runs.map((r) => r.seconds)), max: Math.max(...runs.map((r) => r.seconds)) },
    }),
    aa: { gates: aa.length, falseAlarms: aa.filter((t) => t.exitCode !== 0).length },
    ab: { gates: ab.length, caught: ab.filter((t) => t.caught.length > 0).length, otherAlarms: ab.reduce((n, t) => n + t.otherAlarms.length, 0) },
    trials,
  };
  writeFileAtomic(join(out, 'evidence.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const m = summary.machine;
  const md = [
    '# Gate evidence on the built-in suites (A/A and A/B)',
    '',
    `Machine: ${m.hostname} (${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, node ${m.node}, tfjs ${m.tfjs}); backends ${values.backends}; quick runs, each size in several worker processes.`,
    `Command: \`${summary.command}\`; ${done} of ${pairs} pairs done, ${summary.date}, after ${summary.totalMinutes.toFixed(0)} min. Gate: threshold ${(options.maxRegression * 100).toFixed(0)}%, α = ${options.alpha}, fused times not compared (\`--times off\`, as on shared CI runners); one-run baselines.`,
    recorded
      ? `Re-gated from the runs recorded under ${values.regate} (nothing measured now; their loads and times are in that study's evidence.md).`
      : `Load average (1 min) before the runs: ${summary.load!.min.toFixed(1)}–${summary.load!.max.toFixed(1)} on ${m.cores} cores; a run took ${summary.runSeconds!.min.toFixed(0)}–${summary.runSeconds!.max.toFixed(0)} s.`,
    '',
    `- **A/A** (two independent runs of unchanged code, each gated against the other): **${summary.aa.falseAlarms} of ${summary.aa.gates}** gates raised an alarm.`,
    `- **A/B** (${injected.join(', ')}: fused variant ${(extra * 100).toFixed(0)}% slower per call): **caught in ${summary.ab.caught} of ${summary.ab.gates}** runs; rows of other patterns raised ${summary.ab.otherAlarms} alarm(s) in those runs.`,
    '',
    '| arm | pair | gate | exit | failing rows |',
    '| --- | ---: | --- | ---: | --- |',
    ...trials.map((t) => `| ${t.arm} | ${t.pair} | ${t.gate} | ${t.exitCode} | ${t.failing.join('; ') || '—'} |`),
    '',
  ].join('\n');
  writeFileAtomic(join(out, 'evidence.md'), md);
  return md;
}

for (let i = 1; i <= pairs; i++) {
  if (recorded && !['a1', 'a2', 'b'].every((n) => recordedResults(`${n}-${i}`))) break;
  const a1 = await run(`a1-${i}`, false);
  const a2 = await run(`a2-${i}`, false);
  const b = await run(`b-${i}`, true);
  runs.push(a1, a2, b);
  for (const [base, cur] of [[a1, a2], [a2, a1]] as const) {
    const r = gate(base, cur, options);
    trials.push({ arm: 'A/A', pair: i, gate: `${cur.name} vs ${base.name}`, exitCode: r.exitCode, failing: failing(r), caught: [], otherAlarms: failing(r) });
  }
  const rb = gate(a1, b, options);
  const fails = failing(rb);
  const isInjected = (row: string): boolean => injected.some((id) => row.startsWith(`${id} · `));
  const caught = rb.rows.filter((x) => x.class === 'fail' && injected.includes(x.pattern) && x.failures.some((f) => f.kind === 'regression'))
    .map((x) => `${x.pattern} · ${x.backend} · ${x.size}`);
  trials.push({ arm: 'A/B', pair: i, gate: `${b.name} vs ${a1.name}`, exitCode: rb.exitCode, failing: fails, caught, otherAlarms: fails.filter((f) => !isInjected(f)) });
  const t = trials.slice(-3);
  const measured = recorded ? 're-gated' : `loads ${[a1, a2, b].map((x) => x.load.toFixed(1)).join('/')}, runs ${[a1, a2, b].map((x) => x.seconds.toFixed(0)).join('/')} s`;
  console.log(`pair ${i}: ${measured}; ` +
    `A/A exits ${t[0]!.exitCode},${t[1]!.exitCode}; A/B exit ${t[2]!.exitCode}, caught ${caught.length} row(s), other alarms ${t[2]!.otherAlarms.length}`);
  const md = writeEvidence(i);
  if (i === pairs) console.log(`\n${md}`);
}


