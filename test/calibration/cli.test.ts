import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../harness/cli.ts';
import { CostModel } from '../../harness/costmodel/cost-model.ts';
import { profileFromResults } from '../../harness/calibration/profile.ts';
import { fakeResults } from './fixtures/results.ts';

const SUITE = fileURLToPath(new URL('./fixtures/tiny-linear.bench.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fb-cli-'));

afterEach(() => vi.restoreAllMocks());

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  return { out, err };
}

describe('fusebench calibrate: bad input exits 2 with the usage and the valid pattern ids', () => {
  const expectUsage = (text: string): void => {
    expect(text).toContain('usage: fusebench calibrate --hardware NAME --output FILE');
    expect(text).toMatch(/valid pattern ids:\n {2}CalibTest_Linear_Bias_ReLU\nfamilies: calibtest/);
  };
  it('an unknown pattern', async () => {
    const { err } = capture();
    expect(await main(['calibrate', '--hardware', 'x', '--output', join(dir, 'a.json'), '--fusion-patterns', 'Conv2d_Nope', SUITE])).toBe(2);
    expect(err[0]).toMatch(/--fusion-patterns: no pattern or family "Conv2d_Nope"/);
    expectUsage(err.join('\n'));
    expect(existsSync(join(dir, 'a.json'))).toBe(false);
  });
  it('an unknown flag', async () => {
    const { err } = capture();
    expect(await main(['calibrate', '--hardwre', 'x', SUITE])).toBe(2);
    expect(err[0]).toMatch(/--hardwre/);
    expectUsage(err.join('\n'));
  });
  it('a missing required flag, a bad number, an unknown backend', async () => {
    const { err } = capture();
    expect(await main(['calibrate', '--output', join(dir, 'b.json'), SUITE])).toBe(2);
    expect(await main(['calibrate', '--hardware', 'x', '--output', join(dir, 'b.json'), '--peak-gflops', 'lots', SUITE])).toBe(2);
    expect(await main(['calibrate', '--hardware', 'x', '--output', join(dir, 'b.json'), '--backend', 'tpu', SUITE])).toBe(2);
    const text = err.join('\n');
    expect(text).toContain('--hardware is required');
    expect(text).toContain('--peak-gflops: expected a positive number, got "lots"');
    expect(text).toContain('--backend: unknown backend "tpu"');
    expectUsage(text);
  });
  it('families and ids are accepted, families without regard to case', async () => {
    const { selectPatterns } = await import('../../harness/calibration/patterns.ts');
    const { loadSuiteFiles } = await import('../../harness/load.ts');
    const suites = await loadSuiteFiles([SUITE]);
    expect(selectPatterns(suites, 'CalibTest').map((s) => s.spec.id)).toEqual(['CalibTest_Linear_Bias_ReLU']);
    expect(selectPatterns(suites, 'all')).toHaveLength(1);
    expect(() => selectPatterns(suites, 'calibtest_linear_bias_relu')).toThrow(/no pattern or family/);
  });
});

describe('fusebench calibrate: a real run on the cpu backend', () => {
  it('measures ceilings, runs the pattern, writes a loadable profile and prints verdicts', async () => {
    const { out } = capture();
    const file = join(dir, 'calibrated', 'cpu.json');
    const code = await main([
      'calibrate', '--hardware', 'ci-box', '--peak-gflops', '100', '--peak-bandwidth', '20', '--fusion-patterns', 'calibtest',
      '--backend', 'cpu', '--quick', '--output', file, SUITE,
    ]);
    expect(code).toBe(0);
    expect(readdirSync(join(dir, 'calibrated'))).toEqual(['cpu.json']); // no temp file left behind
    const model = CostModel.fromProfile(file);
    const cal = model.calibration;
    expect(cal.hardware).toBe('ci-box');
    expect(cal.document.theoretical_peak_gflops).toBe(100);
    expect(cal.ceilings!.matmul_gflops).toBeGreaterThan(0);
    expect(cal.ceilings!.bandwidth_gbps).toBeGreaterThan(0);
    const p = cal.getFusionPattern('CalibTest_Linear_Bias_ReLU')!;
    expect(p.correct).toBe(true);
    expect(p.sizes.map((s) => s.size)).toEqual(['4×8→4', '16×32→16']);
    expect(model.fusionBenefit('CalibTest_Linear_Bias_ReLU', 1e9).extrapolated).toBe(true);
    const printed = out.join('\n');
    expect(printed).toMatch(/Calibration of ci-box on backend cpu/);
    expect(printed).toMatch(/\| CalibTest_Linear_Bias_ReLU +\| \d+\.\d\d× \(/);
    expect(printed).toContain(`wrote ${file}`);
  });
});

describe('fusebench compare', () => {
  const a = join(dir, 'a-cpu.json');
  const b = join(dir, 'b-gpu.json');
  writeFileSync(a, JSON.stringify(profileFromResults(fakeResults('cpu', [{ id: 'Conv2d_BN', sizes: [{ magnitude: 10, speedup: 1.05 }] }]), 'cpu', { hardware: 'A' })));
  writeFileSync(b, JSON.stringify(profileFromResults(fakeResults('webgpu', [{ id: 'Conv2d_BN', sizes: [{ magnitude: 10, speedup: 2.5 }] }], 'gpu'), 'webgpu', { hardware: 'B' })));

  it('prints the side-by-side, or writes it with --out', async () => {
    const { out } = capture();
    expect(await main(['compare', a, b])).toBe(0);
    expect(out.join('')).toMatch(/\| Conv2d_BN +\| 1\.05× \(1 size\) +\| avoid \(CI holds 1\.10× at 1 of 1 size\) +\| 2\.50× \(1 size\) +\| fuse +\|/);
    const md = join(dir, 'cmp', 'compare.md');
    expect(await main(['compare', a, b, '--out', md])).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/^# Fusion calibration: A · cpu vs B · webgpu/);
  });
  it('exits 2 for a wrong argument count or a bad profile, naming the file and path', async () => {
    const { err } = capture();
    expect(await main(['compare', a])).toBe(2);
    expect(err.join('\n')).toContain('expected two profiles, got 1');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ hardware: 'x', backend: 'cpu', fusion_profiles: { Conv2d_BN: { pattern: 'Conv2d_BN' } } }));
    expect(await main(['compare', a, bad])).toBe(2);
    expect(err.join('\n')).toContain(`${bad}: not a valid calibration profile`);
    expect(err.join('\n')).toContain('/fusion_profiles/Conv2d_BN/sizes: is missing');
  });
});
