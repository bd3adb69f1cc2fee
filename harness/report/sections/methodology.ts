/** Methodology: what was timed and how, the CI, memory figures, and which numbers the verdicts use. */
import type { ReportModel } from '../model.ts';
import { count, ms, percent, roughPercent, times } from '../format.ts';
import { confidenceText } from '../text.ts';
import { median } from '../../core/stats.ts';

function span(values: readonly number[]): string | undefined {
  if (values.length === 0) return undefined;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}

function roundsText(m: ReportModel): string {
  const s = m.results.sampling;
  const taken = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.timed.map((r) => Math.min(r.unfused!.samplesMs.length, r.fused!.samplesMs.length))));
  const cfg = m.config.sampling;
  const planned = `${s.rounds} rounds planned per size (each round times both variants once)`;
  const took = span(taken);
  const capped = taken.filter((n) => n < s.rounds).length;
  const cap = `a size stops adding rounds after ${s.maxSecondsPerSize ?? cfg.maxSecondsPerSize} s but keeps at least ${s.minRounds ?? cfg.minRounds}`;
  if (!took) return `${planned}; ${cap}.`;
  return `${planned}; ${cap}. Rounds taken: ${took}${capped ? ` (${count(capped, 'size')} stopped by the time cap)` : ''}.`;
}

function callsText(m: ReportModel): string {
  const recorded = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.timed.flatMap((r) =>
    [r.callsPerSample, r.unfused?.callsPerSample, r.fused?.callsPerSample].filter((k): k is number => k !== undefined))));
  const minMs = m.results.sampling.minSampleMs ?? m.config.sampling.minSampleMs;
  const rule = `calls per sample are raised until one sample lasts at least ${minMs} ms, so timer resolution does not matter; a sample's time is divided by its calls`;
  const took = span(recorded);
  return took ? `${rule}. Calls per sample: ${took}.` : `${rule}.`;
}

/** How widely samples spread: (p90 − p10) / median per variant and size, summarised over the run. */
export function timingSpread(m: ReportModel): { median: number; max: number } | undefined {
  const spreads = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.timed.flatMap((r) =>
    [r.unfused!, r.fused!].filter((x) => x.throughputMs > 0).map((x) => (x.p90Ms - x.p10Ms) / x.throughputMs))));
  if (spreads.length === 0) return undefined;
  return { median: median(spreads), max: Math.max(...spreads) };
}

/** The harness's own per-call cost on each backend, against the calls it timed. */
function overheadText(m: ReportModel): string | undefined {
  const parts: string[] = [];
  for (const b of m.ran) {
    const o = b.status.harnessOverheadMs;
    if (o === undefined) continue;
    const bare = b.status.bareDispatchMs;
    const calls = b.patterns.flatMap((v) => v.timed.flatMap((r) => [r.unfused!.throughputMs, r.fused!.throughputMs]));
    const long = calls.filter((x) => x >= 1);
    const share = long.length ? `, at most ${roughPercent(o / Math.min(...long))} of any call that took ≥ 1 ms` : '';
    parts.push(`${b.status.name} ${ms(o)} ms${bare === undefined ? '' : ` against ${ms(bare)} ms bare`}${share}`);
  }
  if (parts.length === 0) return undefined;
  return `**Harness overhead.** The pipelined per-call cost of a 1-element op through the sampler (tidy, dispose, 100 calls then one fence), ` +
    `against the same op dispatched bare in a loop, per backend: ${parts.join('; ')}. ` +
    'It is paid by both variants alike, so it dilutes a speedup rather than creating one.';
}

function memoryObservation(m: ReportModel): string | undefined {
  const timed = m.ran.flatMap((b) => b.patterns.flatMap((v) => v.timed));
  if (timed.length === 0) return undefined;
  const same = timed.filter((r) => r.unfused!.bytesAllocated === r.fused!.bytesAllocated).length;
  if (same !== timed.length) return undefined;
  return `In this run fused and unfused allocated the same bytes at every size (${timed.length} of ${timed.length}), so every measured memory ` +
    'reduction is 0%; the analytic traffic figures show what fusion stops moving.';
}

export function methodology(m: ReportModel): string {
  const s = m.results.sampling;
  const v = m.config.verdicts;
  const d = m.config.decisions;
  const conf = confidenceText(m);
  const hasDeviceMs = m.ran.some((b) => b.patterns.some((x) => x.timed.some((r) => r.unfused!.deviceMs !== undefined)));
  const lines: string[] = [
    '## Methodology',
    '',
    '**What was timed.** For each pattern, backend and size: the suite\'s *unfused* implementation (the separate tfjs ops) against its ' +
      '*fused* one (a tfjs fused kernel, a fusebench kernel, or weights folded when the suite is built; each pattern names which). ' +
      'Inputs are fresh non-zero random tensors; every tensor is disposed, and a size that leaks tensors is marked failed.',
    '',
    '**Correctness first.** Before any timing, both variants run once and are compared with a float64 reference: ' +
      'a value passes when |got − want| ≤ atol + rtol·|want| (the suite\'s tolerance, else ' +
      `atol ${m.config.tolerance.atol}, rtol ${m.config.tolerance.rtol}); NaN and ±Infinity never pass. ` +
      'A fused result outside tolerance is `✗ Incorrect` whatever its speed and counts in no speedup figure.',
    '',
    `**How.** Recorded timing rule: ${s.timing}. ${s.method === 'pipelined' ? 'Nothing is read back inside a timed region: reading whole results stays in the correctness check.' : 'This run predates pipelined timing: every sample ended with the whole result read back to the host, which on a GPU times the device→host copy.'} ` +
      `${s.warmup} untimed warm-up calls of each variant come first (first-call compilation included); ${callsText(m)} ${roundsText(m)}`,
    '',
    `**Speedup and its CI.** Speedup = median unfused time / median fused time within a process; where a size was measured in several processes, the geometric mean of their speedups (each process counts once). Its ${conf} confidence interval is a percentile bootstrap ` +
      `(${s.bootstrap} resamples) over paired rounds: a resample draws whole rounds, keeping each round's unfused and fused sample together, ` +
      'so a slow moment of the machine hits both; where a size was measured in several processes, a resample first draws processes, then rounds ' +
      'within each, so the spread between processes is inside the interval. A pattern\'s figure on a backend is the geometric mean of its per-size ' +
      `speedups, a family's the geometric mean of its patterns', a backend's the geometric mean of its families' (a family weighs one however many ` +
      'patterns it has); their CIs come from the same bootstrap, every size resampled as its own CI was.',
    '',
    `**Verdicts.** ✓ Strong benefit ≥ ${times(v.strong)}; ✓ Moderate benefit ≥ ${times(v.moderate)}; ⚠ Minimal benefit ≥ ${times(v.minimal)}; ` +
      `✗ Fusion is slower below; ✗ Incorrect when the fused result fails the float64 check. Decisions: Deploy + Expand ≥ ${times(d.expand)}; ` +
      `Deploy, stop expansion ≥ ${times(d.deploy)}; Re-evaluate below. Verdicts are judged on the whole CI: where its two ends fall under ` +
      'different verdicts the result is *inconclusive* and both sides are given. ' +
      `Crossover: the smallest size whose CI lower bound is ≥ ${times(m.config.crossover)}.`,
    '',
    '**Kernels.** Kernel names come from one `tf.profile` call per variant. Counts (unfused → fused) include only kernels that compute: ' +
      'shape-only kernels (Reshape, ExpandDims, Squeeze, Identity) and op-scope entries that tf.profile records around an op (`…__op`) are listed but not counted.',
    '',
    '**Memory reduction** = 1 − fused bytes allocated / unfused bytes allocated per call. Bytes allocated is the sum of `tf.profile`\'s per-kernel ' +
      '`bytesAdded` over one call: every output a kernel allocates, intermediates included, shape-only kernels left out. `newBytes` is not used because it counts ' +
      'only what survives the call, so intermediates freed inside it vanish; `peakBytes` is not used because it is not a per-call peak (it is the engine\'s ' +
      'high-water mark). Memory a backend allocates inside a kernel (scratch buffers) is invisible to `tf.profile`. ' +
      '*Traffic saved (analytic)* is 1 − fused bytes moved / unfused bytes moved, from the suite\'s cost model.',
  ];
  const spread = timingSpread(m);
  if (spread) {
    lines.push('', `**Timing spread.** A variant's p10–p90 spread, as a share of its median, was ${percent(spread.median)} at the median ` +
      `over all sizes and variants (largest ${percent(spread.max)}).`);
  }
  const overhead = overheadText(m);
  if (overhead) lines.push('', overhead);
  const mem = memoryObservation(m);
  if (mem) lines.push('', mem);
  const numbers = [
    s.method === 'pipelined'
      ? '**Which numbers the verdicts use.** Throughput: the pipelined per-call time of the interleaved samples. Latency (one call and the fence) is shown beside it.'
      : '**Which numbers the verdicts use.** The harness\'s interleaved samples (wall clock, read-back included).',
  ];
  if (hasDeviceMs) numbers.push('Where the backend has a device clock, device time per call (no host gaps) is shown beside them; it does not enter the verdicts.');
  lines.push('', numbers.join(' '));
  if (m.results.quick) lines.push('', `This was a quick run: each suite's quick size set and ${s.rounds} planned rounds per size.`);
  return lines.join('\n');
}
