/**
 * The conformance runner, run as users run it (a child process), on the two backends CI has:
 * - cpu, all of tfjs-core's op tests: the pass set tfjs-backend-cpu's own CI expects (all 2,989 specs of 4.22);
 * - wasm, the test files covering the kernels fusebench adds or routes through, excluded specs run too
 *   (--run-excluded) so that a stale exclusion fails here.
 * Both include fusebench's own kernel specs, and the memory check. The only failures allowed are the pinned
 * tfjs-backend-wasm findings below; anything else that fails, leaks or goes stale fails this test.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConformanceSummary } from '../../conformance/summary.ts';

const run = promisify(execFile);

async function conformance(args: string[]): Promise<{ code: number; summary: ConformanceSummary; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fusebench-conformance-'));
  const json = join(dir, 'summary.json');
  try {
    let code = 0;
    let output = '';
    try {
      const r = await run('npx', ['tsx', 'conformance/run.ts', ...args, '--json', json], { maxBuffer: 1 << 26 });
      output = r.stdout + r.stderr;
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      code = err.code ?? 1;
      output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
    return { code, output, summary: JSON.parse(readFileSync(json, 'utf8')) as ConformanceSummary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * tfjs-backend-wasm 4.22 bugs the runner finds (each passes on tfjs-backend-cpu): findings, pinned here, not
 * excluded (none is a kernel wasm lacks, a dtype it lacks, or a cpu failure).
 */
const WASM_FINDINGS = [
  // ClipByValue drops NaN: clipByValue([.., NaN], -1, 50) gives -1 where tfjs (and cpu) give NaN.
  'ops/clip_by_value_test: clipByValue wasm {} basic vec4',
  'ops/clip_by_value_test: clipByValue wasm {} propagates NaNs',
  // Slice does not check bounds (no slice_util.assertParamsValid): an out-of-bounds slice2d does not throw.
  'ops/slice2d_test: slice2d wasm {} throws when requesting out of bounds slice',
  // Cast to bool keeps the value: [1.1, 3.9, -2.9, 0] and int32 [1, 3, 0, -1] cast to bool read back 3 where tfjs gives 1.
  'tensor_test: tensor wasm {} Tensor2D float32 -> bool',
  'tensor_test: tensor wasm {} Tensor2D int32 -> bool',
];

describe('conformance runner (tfjs-core op tests + fusebench kernel specs)', () => {
  it('cpu: all 2,989 tfjs-core op specs pass, as in tfjs-backend-cpu\'s CI, and every fusebench spec', async () => {
    const { code, summary: s, output } = await conformance(['--backend', 'cpu']);
    expect(s.failures, output).toEqual([]);
    expect(s.tfjs).toEqual({ specs: 2989, passed: 2989, failed: 0, notImplemented: 0, dtypeUnsupported: 0, excluded: 0, pending: 0 });
    expect(s.fusebench.failed).toBe(0);
    expect(s.fusebench.passed).toBeGreaterThanOrEqual(30);
    expect(s.errors).toEqual([]);
    expect(s.memory.grew).toBe(false);
    expect(s.memory.leakedSpecs.every((l) => l.known)).toBe(true);
    expect(code).toBe(0);
  }, 300_000);

  it('wasm: the fusebench-relevant op tests pass except the pinned tfjs-backend-wasm findings; no stale exclusion', async () => {
    const { code, summary: s, output } = await conformance(['--backend', 'wasm', '--set', 'fusebench', '--run-excluded']);
    expect(s.failures.map((f) => `${f.file}: ${f.spec}`).sort(), output).toEqual([...WASM_FINDINGS].sort());
    expect(s.staleExclusions).toEqual([]);
    expect(s.fusebench.failed).toBe(0);
    expect(s.fusebench.passed).toBeGreaterThanOrEqual(30);
    expect(s.tfjs.passed).toBeGreaterThan(1000);
    expect(s.errors).toEqual([]);
    expect(s.memory.grew).toBe(false);
    expect(code).toBe(1); // the findings are failures: the runner says so
  }, 300_000);

  it('an unavailable backend exits 2 with the reason, in the JSON too', async () => {
    const { code, summary } = await conformance(['--backend', 'cuda', '--files', 'add_relu']);
    const s = summary as unknown as { available?: boolean; reason?: string };
    if (s.available !== false) return; // a machine with a GPU ran one small file: nothing to check here
    expect(code).toBe(2);
    expect(s.reason).toMatch(/^cuda: /);
  }, 300_000);
});
