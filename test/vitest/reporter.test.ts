import { describe, expect, it } from 'vitest';
import { hardwareKey, keptApart, mergeBackends, unknownSelections } from '../../harness/vitest/reporter.ts';
import type { FusebenchTaskMeta } from '../../harness/vitest/meta.ts';
import type { MachineInfo } from '../../harness/core/types.ts';
import { fixture } from '../report/helpers.ts';

const machine = (cpuModel: string, gpu?: string): MachineInfo => ({ hostname: 'h', cpuModel, cores: 2, memoryGiB: 8, os: 'linux', node: 'v20', tfjs: '4.22.0', ...(gpu ? { gpu } : {}) });

function meta(label: string): FusebenchTaskMeta & { label: string } {
  const f = fixture();
  const p = f.patterns[0]!;
  const { results, ...header } = p;
  return { label, pattern: header, backend: f.backends[0]!, backends: f.backends, machine: machine('X'), quick: true, result: results[0]! };
}

describe('the vitest reporter\'s merging rules', () => {
  it('pools shards only on the same processor, core count and GPU', () => {
    expect(hardwareKey(machine('EPYC'))).toBe(hardwareKey({ ...machine('EPYC'), hostname: 'other' }));
    expect(hardwareKey(machine('EPYC'))).not.toBe(hardwareKey(machine('Xeon')));
    expect(hardwareKey(machine('EPYC', 'H200'))).not.toBe(hardwareKey(machine('EPYC')));
  });

  it('keeps a shard on other hardware apart as <backend>@<label>', () => {
    const m = keptApart(meta('hostB'));
    expect(m.result.backend).toBe('cpu@hostB');
    expect(m.backend.name).toBe('cpu@hostB');
    expect(m.backends.every((b) => b.name.endsWith('@hostB'))).toBe(true);
  });

  it('lets an activated backend\'s status (device, overhead) win over the detected one', () => {
    const m = meta('a');
    const detected = { ...m, backend: { ...m.backend, harnessOverheadMs: undefined, device: undefined } };
    const merged = mergeBackends([detected, m]);
    expect(merged.find((b) => b.name === 'cpu')!.harnessOverheadMs).toBe(m.backend.harnessOverheadMs);
  });

  it('names FUSEBENCH_PATTERNS entries that match no declared id or family', () => {
    const { pattern } = meta('a');
    expect(unknownSelections('Linear_Bias_ReLU,linear,nope', [pattern])).toEqual(['nope']);
    expect(unknownSelections(undefined, [pattern])).toEqual([]);
  });
});
