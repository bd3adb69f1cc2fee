/** The ternary micro suites are plain SuiteSpecs: the harness engine measures them like any other pattern. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadSuiteFiles } from '../../harness/load.ts';
import { measureSize } from '../../harness/measure.ts';
import { PHASE_42_COMPOSITIONS } from '../../kernels/ternary/spec.ts';
import { BACKENDS, fastConfig, useBackend } from './helpers.ts';

const files = ['tadd-tnot.bench.ts', 'phase42-compositions.bench.ts'].map((f) => fileURLToPath(new URL(`../../suites/ternary/${f}`, import.meta.url)));

describe('ternary micro suites', () => {
  it('declare Phase 4.1 and the 16 Phase 4.2 compositions, 1K–16M elements', async () => {
    const suites = await loadSuiteFiles(files);
    const ids = suites.map((s) => s.spec.id).sort();
    expect(ids).toEqual(['Ternary_tadd_tnot', ...PHASE_42_COMPOSITIONS.map(([i, o]) => `Ternary_${i}_${o}`)].sort());
    const p41 = suites.find((s) => s.spec.id === 'Ternary_tadd_tnot')!.spec;
    expect(p41.sizes.full.map((p) => p.n)).toEqual([1024, 16384, 262144, 1048576, 4194304, 16777216]);
    expect(p41.label({ n: 16777216 })).toBe('16M elements');
    expect(p41.cost({ n: 1000 })).toEqual({ flops: 4000, bytesUnfused: 20000, bytesFused: 12000, intermediateBytes: 4000 });
    for (const s of suites) {
      expect(s.spec.fusedBy).toBe('fusebench kernel');
      expect(Math.max(...s.spec.sizes.full.map((p) => p.n))).toBe(2 ** 24);
      expect(Math.min(...s.spec.sizes.full.map((p) => p.n))).toBe(2 ** 10);
    }
  });

  it.each(BACKENDS)('measure exactly through the harness engine on %s', async (backend) => {
    const adapter = await useBackend(backend);
    const suites = await loadSuiteFiles(files);
    const before = tf.memory().numTensors;
    for (const id of ['Ternary_tadd_tnot', 'Ternary_tmul_tadd', 'Ternary_tmax_tmin']) {
      const s = suites.find((x) => x.spec.id === id)!;
      const r = await measureSize(s.file, s.spec, adapter, { n: 1027 }, { config: fastConfig, quick: true, seed: 5 });
      expect(r.status, r.error).toBe('ok');
      expect(r.correctness!.fused).toEqual({ maxAbs: 0, maxRel: 0, ok: true });
      expect(r.correctness!.unfused.ok).toBe(true);
      expect(r.fused!.kernels).toEqual([id === 'Ternary_tadd_tnot' ? 'TernaryNotBinary' : 'TernaryFused3']);
      expect(r.unfused!.kernels).toHaveLength(2);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
