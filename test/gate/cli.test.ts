import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import Ajv from 'ajv';
import { main as baselineMain } from '../../harness/cli/baseline.ts';
import { main as gateMain } from '../../harness/cli/gate.ts';
import { BASELINE_SCHEMA_FILE } from '../../harness/gate/validate.ts';
import { COMMENT_MARKER } from '../../harness/gate/render.ts';
import type { Baseline } from '../../harness/gate/format.ts';
import type { RunResults } from '../../harness/core/types.ts';
import { captured, scratch, type Scratch } from './helpers.ts';
import { DEDICATED, slowerBoth, slowerFused, syntheticRun, TYPICAL_ROWS, type SyntheticRow } from './synthetic.ts';

let s: Scratch;
beforeEach(() => { s = scratch(); });
afterEach(() => s.remove());

const steady = (rows: readonly SyntheticRow[], seed: number, machine?: Partial<RunResults['machine']>): RunResults =>
  syntheticRun(rows, { seed, model: DEDICATED, ...(machine ? { machine } : {}) });

/** Writes a baseline from `runs` through the CLI and returns its path. */
async function makeBaseline(runs: RunResults[], name = 'baseline.json'): Promise<string> {
  const from = runs.flatMap((r, i) => ['--from', s.write(`base-${i}.json`, r)]);
  const out = s.path(name);
  const r = await captured(() => baselineMain([...from, '--out', out]));
  expect(r.value, r.err).toBe(0);
  return out;
}

const gate = (args: string[]) => captured(() => gateMain(args));

describe('fusebench baseline', () => {
  it('keeps raw rounds keyed by pattern × backend × size, and the machine; the file passes the schema', async () => {
    const run = steady(TYPICAL_ROWS, 1);
    const out = await makeBaseline([run]);
    const b = JSON.parse(readFileSync(out, 'utf8')) as Baseline;
    const entry = b.entries.Linear_Bias_ReLU.cpu['64×256→256'];
    expect(entry.runs).toHaveLength(1);
    expect(entry.runs[0].fused.samplesMs).toEqual(run.patterns[0].results[0].fused!.samplesMs);
    expect(entry.runs[0].unfused.samplesMs).toEqual(run.patterns[0].results[0].unfused!.samplesMs);
    expect(b.machine).toEqual(run.machine);
    expect(Object.keys(b.entries).sort()).toEqual(['Attention_Softmax', 'Conv_BN_ReLU', 'Linear_Bias_ReLU']);
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(BASELINE_SCHEMA_FILE, 'utf8')) as object);
    expect(validate(b), JSON.stringify(validate.errors)).toBe(true);
    // Atomic write: no temp file left beside it.
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('never overwrites an existing baseline without --force', async () => {
    const out = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const before = readFileSync(out, 'utf8');
    const other = s.write('other.json', steady(TYPICAL_ROWS, 2));
    const refused = await captured(() => baselineMain(['--from', other, '--out', out]));
    expect(refused.value).toBe(2);
    expect(refused.err).toMatch(/already exists.*--force/);
    expect(readFileSync(out, 'utf8')).toBe(before);
    const forced = await captured(() => baselineMain(['--from', other, '--out', out, '--force']));
    expect(forced.value, forced.err).toBe(0);
    const after = JSON.parse(readFileSync(out, 'utf8')) as Baseline;
    expect(after.sources[0].file).toBe(other);
    expect(statSync(out).size).toBeGreaterThan(0);
  });

  it('takes several runs of one machine, and refuses runs of different machines or the same run twice', async () => {
    const out = await makeBaseline([steady(TYPICAL_ROWS, 1), steady(TYPICAL_ROWS, 2), steady(TYPICAL_ROWS, 3)]);
    const b = JSON.parse(readFileSync(out, 'utf8')) as Baseline;
    expect(b.sources).toHaveLength(3);
    expect(b.entries.Conv_BN_ReLU.cpu['1×56×56×64'].runs.map((r) => r.source)).toEqual([0, 1, 2]);

    const a = s.write('a.json', steady(TYPICAL_ROWS, 1));
    const elsewhere = s.write('elsewhere.json', steady(TYPICAL_ROWS, 2, { cpuModel: 'Intel Xeon' }));
    const mixed = await captured(() => baselineMain(['--from', a, '--from', elsewhere, '--out', s.path('mixed.json')]));
    expect(mixed.value).toBe(2);
    expect(mixed.err).toMatch(/another machine.*cpuModel/);
    const twice = await captured(() => baselineMain(['--from', a, '--from', a, '--out', s.path('twice.json')]));
    expect(twice.value).toBe(2);
    expect(twice.err).toMatch(/same run/);
    expect(existsSync(s.path('mixed.json')) || existsSync(s.path('twice.json'))).toBe(false);
  });

  it('leaves failed sizes out, saying so, and refuses flags or files it cannot use', async () => {
    const run = steady([...TYPICAL_ROWS, { pattern: 'Broken', size: 'x', unfusedMs: 1, fusedMs: 1, status: 'failed' }], 1);
    const from = s.write('run.json', run);
    const r = await captured(() => baselineMain(['--from', from, '--out', s.path('b.json')]));
    expect(r.value).toBe(0);
    expect(r.err).toMatch(/left out Broken · cpu · x: the size failed/);
    expect((await captured(() => baselineMain(['--out', s.path('c.json')]))).value).toBe(2);
    expect((await captured(() => baselineMain(['--from', from]))).value).toBe(2);
    const missing = await captured(() => baselineMain(['--from', s.path('nope.json'), '--out', s.path('d.json')]));
    expect(missing.value).toBe(2);
    expect(missing.err).toMatch(/not found: .*nope\.json/);
    expect((await captured(() => baselineMain(['--from', from, '--out', s.path('e.json'), '--bogus']))).value).toBe(2);
  });
});

describe('fusebench gate: exit codes', () => {
  it('0 for an unchanged run', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(TYPICAL_ROWS, 2))]);
    expect(r.value, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/✓ passed/);
    expect(r.out).toMatch(/5 unchanged rows/);
  });

  it('1 for a fused path doing 15% more work', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const slower = slowerFused(TYPICAL_ROWS, 0.15, (r) => r.size === '1×28×28×128');
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(slower, 2))]);
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/Conv_BN_ReLU.*1×28×28×128.*✗ regression \(speedup\)/);
  });

  it('1 for a ✗ Incorrect result, even when nothing got slower', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const wrong = TYPICAL_ROWS.map((r, i) => (i === 2 ? { ...r, verdict: 'incorrect' as const } : r));
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(wrong, 2))]);
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/Conv_BN_ReLU.*1×56×56×64.*✗ Incorrect/);
  });

  it('1 for a speedup below the minimum the suite declares for the backend', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const strict = TYPICAL_ROWS.map((r) => (r.pattern === 'Linear_Bias_ReLU' ? { ...r, minSpeedup: 1.5 } : r)); // 64×256→256 runs at ~1.33×
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(strict, 2))]);
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/64×256→256.*✗ below declared minimum \(1\.3\d× < 1\.50×\)/);
    expect(r.out).not.toMatch(/128×768→3072[^\n]*below/); // 1.6× clears 1.5×
  });

  it('1 for a size that failed to measure', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const broken = TYPICAL_ROWS.map((r, i) => (i === 4 ? { ...r, status: 'failed' as const } : r));
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(broken, 2))]);
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/Attention_Softmax.*✗ failed: RangeError: out of memory/);
  });

  it('2 for missing files, bad JSON and bad flags, naming the culprit', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const cur = s.write('cur.json', steady(TYPICAL_ROWS, 2));
    const cases: Array<[string[], RegExp]> = [
      [['--baseline', s.path('nope.json'), '--current', cur], /baseline file not found: .*nope\.json/],
      [['--baseline', base, '--current', s.path('gone.json')], /current results file not found: .*gone\.json/],
      [['--baseline', s.write('bad.json', '{ "schema": '), '--current', cur], /bad\.json: not valid JSON/],
      [['--baseline', base, '--current', cur, '--max-regression', 'abc'], /--max-regression: "abc" is not a threshold/],
      [['--baseline', base, '--current', cur, '--max-regression', '5'], /--max-regression: "5" is ambiguous/],
      [['--baseline', base, '--current', cur, '--alpha', '2'], /--alpha: "2" must be a significance level/],
      [['--baseline', base, '--current', cur, '--bogus'], /bogus/],
      [['--baseline', base], /--current is required/],
      [['--baseline', cur, '--current', cur], /is a results file, not a baseline; write one with fusebench baseline/],
    ];
    for (const [args, message] of cases) {
      const r = await gate(args);
      expect(r.value, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('2 for a baseline that breaks the schema, naming the JSON path of the fault', async () => {
    const base = JSON.parse(readFileSync(await makeBaseline([steady(TYPICAL_ROWS, 1)]), 'utf8')) as Record<string, any>;
    const cur = s.write('cur.json', steady(TYPICAL_ROWS, 2));
    const entry = () => base.entries.Linear_Bias_ReLU.cpu['64×256→256'].runs[0];

    const wrongType = structuredClone(base);
    wrongType.entries.Linear_Bias_ReLU.cpu['64×256→256'].runs[0].fused.samplesMs[3] = 'fast';
    let r = await gate(['--baseline', s.write('t.json', wrongType), '--current', cur]);
    expect(r.value).toBe(2);
    expect(r.err).toContain('entries.Linear_Bias_ReLU.cpu["64×256→256"].runs[0].fused.samplesMs[3]: must be number');

    const missing = structuredClone(base);
    delete missing.entries.Linear_Bias_ReLU.cpu['64×256→256'].runs[0].unfused;
    r = await gate(['--baseline', s.write('m.json', missing), '--current', cur]);
    expect(r.value).toBe(2);
    expect(r.err).toContain('entries.Linear_Bias_ReLU.cpu["64×256→256"].runs[0].unfused: is missing');

    const unpaired = structuredClone(base);
    unpaired.entries.Linear_Bias_ReLU.cpu['64×256→256'].runs[0].fused.samplesMs.pop();
    r = await gate(['--baseline', s.write('u.json', unpaired), '--current', cur]);
    expect(r.value).toBe(2);
    expect(r.err).toMatch(/entries\.Linear_Bias_ReLU\.cpu\["64×256→256"\]\.runs\[0\]: unfused\.samplesMs has 20 rounds but fused\.samplesMs has 19/);

    const version = { ...structuredClone(base), schema: 'fusebench/baseline@9' };
    r = await gate(['--baseline', s.write('v.json', version), '--current', cur]);
    expect(r.value).toBe(2);
    expect(r.err).toContain('schema: must be "fusebench/baseline@1"');
    expect(entry()).toBeDefined();
  });

  it('2 for current results that break the schema, naming the JSON path of the fault', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const run = steady(TYPICAL_ROWS, 2) as unknown as Record<string, any>;
    delete run.patterns[1].results[0].fused;
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', run)]);
    expect(r.value).toBe(2);
    // Named by the results schema (`/patterns/1/results/0`) or the gate's own check (`patterns[1].results[0]`).
    expect(r.err).toMatch(/cur\.json: .*patterns(\/1\/|\[1\]\.)results(\/0|\[0\])/);
    expect(r.err).toMatch(/fused/);
  });
});

describe('fusebench gate --comment', () => {
  it('lists failures first (worst first), then improvements, then one line counting the unchanged rows', async () => {
    const rows: SyntheticRow[] = [
      { pattern: 'Unchanged_A', size: 's1', unfusedMs: 4, fusedMs: 3 },
      { pattern: 'Small_Regression', size: 's2', unfusedMs: 4, fusedMs: 3 },
      { pattern: 'Improved', size: 's3', unfusedMs: 4, fusedMs: 3 },
      { pattern: 'Big_Regression', size: 's4', unfusedMs: 4, fusedMs: 3 },
      { pattern: 'Unchanged_B', size: 's5', unfusedMs: 4, fusedMs: 3 },
      { pattern: 'Wrong', size: 's6', unfusedMs: 4, fusedMs: 3 },
    ];
    const base = await makeBaseline([steady(rows, 1)]);
    const current = rows.map((r) => {
      switch (r.pattern) {
        case 'Small_Regression': return { ...r, fusedMs: r.fusedMs * 1.1 };
        case 'Big_Regression': return { ...r, fusedMs: r.fusedMs * 1.3 };
        case 'Improved': return { ...r, fusedMs: r.fusedMs * 0.8 };
        case 'Wrong': return { ...r, verdict: 'incorrect' as const };
        default: return r;
      }
    });
    const comment = s.path('comment.md');
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(current, 2)), '--comment', comment]);
    expect(r.value).toBe(1);
    const md = readFileSync(comment, 'utf8');
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    const lines = md.split('\n');
    const header = lines.findIndex((l) => l.startsWith('| pattern'));
    expect(lines[header].split('|').map((c) => c.trim())).toEqual(['', 'pattern', 'backend', 'size', 'baseline', 'current', 'change', 'p-value', 'verdict', '']);
    const tableRows = lines.slice(header + 2).filter((l) => l.startsWith('|'));
    expect(tableRows.map((l) => l.split('|')[1].trim())).toEqual(['Wrong', 'Big_Regression', 'Small_Regression', 'Improved']);
    expect(tableRows[1]).toMatch(/speedup −2\d\.\d%/);
    expect(tableRows[3]).toMatch(/✓ improvement \(speedup\)/);
    const after = lines.slice(lines.indexOf(tableRows[tableRows.length - 1]) + 1).join('\n');
    expect(after).toMatch(/^\s*2 unchanged rows \(change within ±5% or not significant at α = 0\.05\)\./);
    expect(md).not.toMatch(/\| Unchanged_/);
  });
});

describe('fusebench gate across machines', () => {
  // Code the two Conv rows share got 30% slower (both variants): their speedup did not move, fused time rose.
  const slowerMachine = slowerBoth(TYPICAL_ROWS, 0.3, (r) => r.pattern === 'Conv_BN_ReLU');

  it('on the same machine, a baseline of several runs tests fused time and fails the rise', async () => {
    const base = await makeBaseline([1, 2, 3, 4, 5].map((seed) => steady(TYPICAL_ROWS, seed)));
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(slowerMachine, 9))]);
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/Conv_BN_ReLU.*✗ regression \(fused time\)/);
    expect(r.out).not.toMatch(/different machines/);
    // --times off: speedups only.
    const off = await gate(['--baseline', base, '--current', s.path('cur.json'), '--times', 'off']);
    expect(off.value).toBe(0);
    expect(off.out).toMatch(/Fused times are not compared \(--times off/);
    expect((await gate(['--baseline', base, '--current', s.path('cur.json'), '--times', 'sometimes'])).value).toBe(2);
  });

  it('on another machine, compares speedup ratios only, and says so in the output and the comment', async () => {
    const base = await makeBaseline([1, 2, 3, 4, 5].map((seed) => steady(TYPICAL_ROWS, seed)));
    const comment = s.path('c.md');
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(slowerMachine, 9, { hostname: 'runner-7', cpuModel: 'Intel Xeon' })), '--comment', comment]);
    expect(r.value, r.out).toBe(0);
    for (const text of [r.out, readFileSync(comment, 'utf8')]) {
      expect(text).toMatch(/different machines \(hostname: "ci-box" vs "runner-7"; cpuModel: "AMD EPYC" vs "Intel Xeon"\): comparing fused-vs-unfused speedup ratios only; fused times are not compared/);
      expect(text).not.toMatch(/· fused /);
    }
  });

  it('with a single-run baseline, shows fused time but does not test it, and says why', async () => {
    const base = await makeBaseline([steady(TYPICAL_ROWS, 1)]);
    const slower = slowerFused(TYPICAL_ROWS, 0.2, (r) => r.pattern === 'Attention_Softmax');
    const r = await gate(['--baseline', base, '--current', s.write('cur.json', steady(slower, 2))]);
    expect(r.value).toBe(1);
    expect(r.out).toMatch(/Attention_Softmax.*speedup −1\d\.\d% · fused \+\d+\.\d%.*\| +<?0\.\d+ · n\/a +\|/);
    expect(r.out).toMatch(/speedups are tested on rounds only and fused times are shown but not tested \(n\/a\)/);
  });
});
