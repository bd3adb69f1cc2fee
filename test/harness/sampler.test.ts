import { describe, expect, it } from 'vitest';
import { issueBackToBack, roundOrder, sampleInterleaved, type SamplingDevice } from '../../harness/core/sampler.ts';
import { defaultConfig, mergeConfig } from '../../harness/core/config.ts';

/** A device that records what the sampler asks of it. */
function recorder(): SamplingDevice & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    async sync() { log.push('fence'); },
    async evictCache() { log.push('evict'); },
  };
}

describe('core sampler', () => {
  it('alternates the order of the variants round by round (ABBA for two)', () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(2, r).join(''))).toEqual(['01', '10', '01', '10']);
    expect(roundOrder(3, 1)).toEqual([2, 1, 0]);
  });

  it('releases each output once the next call is issued, and hands back the last one', () => {
    const log: string[] = [];
    let n = 0;
    const releaseLast = issueBackToBack(() => {
      const i = n++;
      log.push(`issue ${i}`);
      return () => log.push(`release ${i}`);
    }, 3);
    expect(log).toEqual(['issue 0', 'issue 1', 'release 0', 'issue 2', 'release 1']);
    releaseLast();
    expect(log.at(-1)).toBe('release 2');
  });

  it('with cold caches, evicts before every sample and times one call per sample', async () => {
    const dev = recorder();
    let calls = 0;
    const issue = () => {
      calls++;
      dev.log.push('call');
      return () => {};
    };
    const s = await sampleInterleaved(dev, [issue, issue], { rounds: 3, minRounds: 3, warmup: 1, minSampleMs: 50, maxSeconds: 10, cache: 'cold' });
    expect(s.callsPerSample).toEqual([1, 1]);
    expect(s.throughput.map((x) => x.length)).toEqual([3, 3]);
    const timed = dev.log.slice(dev.log.indexOf('evict'));
    expect(timed.join(' ')).toBe(Array(6).fill('evict fence call fence').join(' '));
    expect(calls).toBe(2 + 6);
  });

  it('refuses cold caches on a device that cannot evict', async () => {
    const dev: SamplingDevice = { async sync() {} };
    await expect(sampleInterleaved(dev, [() => () => {}], { rounds: 1, minRounds: 1, warmup: 0, minSampleMs: 1, maxSeconds: 1, cache: 'cold' }))
      .rejects.toThrow(/cannot evict/);
  });

  it('stops early when the adaptive rule says so, never before minRounds, and says why', async () => {
    const dev = recorder();
    const s = await sampleInterleaved(dev, [() => () => {}], { rounds: 50, minRounds: 4, warmup: 0, minSampleMs: 0.01, maxSeconds: 10, cache: 'warm', stop: () => true });
    expect(s.throughput[0]).toHaveLength(4);
    expect(s.stoppedBy).toBe('converged');
  });
});

describe('sampling.cache in the config', () => {
  it('takes warm or cold, and names the field for anything else', () => {
    expect(mergeConfig(defaultConfig, { sampling: { cache: 'cold' } }).sampling.cache).toBe('cold');
    expect(() => mergeConfig(defaultConfig, { sampling: { cache: 'lukewarm' as 'cold' } })).toThrow(/sampling\.cache must be "warm" or "cold" \(got "lukewarm"\)/);
  });
});

describe('fields earlier versions took', () => {
  it('are refused with what to do instead, not as unknown', () => {
    expect(() => mergeConfig(defaultConfig, { sampling: { tinybenchMs: 400 } as never })).toThrow(/field "sampling\.tinybenchMs" was removed: the tinybench cross-check is gone/);
  });
});
