/**
 * `fusebench calibrate` without the command line: measure a backend's roofline ceilings, run the selected
 * fusion suites on it, and build the calibration profile. Writing the file is the caller's job.
 */
import type { RegisteredSuite } from '../core/types.ts';
import type { FusebenchConfig } from '../core/config.ts';
import { resolveBackends, runSuites } from '../run.ts';
import { getAdapter } from '../../backends/registry.ts';
import { measureCeilings, type CeilingOptions } from '../ceilings/measure.ts';
import { profileFromResults } from './profile.ts';
import type { CalibrationProfile } from './types.ts';

export class BackendUnavailableError extends Error {
  constructor(backend: string, reason: string, hint?: string) {
    super(`backend "${backend}" is unavailable: ${reason}${hint ? ` (${hint})` : ''}`);
    this.name = 'BackendUnavailableError';
  }
}

export interface CalibrateOptions {
  readonly hardware: string;
  readonly backend: string;
  readonly suites: readonly RegisteredSuite[];
  readonly quick: boolean;
  readonly config: FusebenchConfig;
  readonly command: string;
  readonly peakGflops?: number;
  readonly peakBandwidth?: number;
  /** Budget and sizes of the ceiling probes (default: 3 s per ceiling, 1.5 s in quick mode). */
  readonly ceilings?: CeilingOptions;
  readonly onProgress?: (line: string) => void;
}

export async function calibrate(opts: CalibrateOptions): Promise<CalibrationProfile> {
  const log = opts.onProgress ?? (() => {});
  const [status] = await resolveBackends([opts.backend]);
  if (!status) throw new BackendUnavailableError(opts.backend, 'not a known backend');
  if (!status.available) throw new BackendUnavailableError(opts.backend, status.reason ?? 'no reason given', status.installHint);
  const adapter = await getAdapter(opts.backend);
  await adapter.init();
  const ceilings = await measureCeilings(adapter, {
    budgetMs: opts.quick ? 1500 : 3000,
    ...opts.ceilings,
    onProgress: opts.ceilings?.onProgress ?? log,
  });
  log(`ceilings on ${opts.backend}: ${ceilings.matmul_gflops.toFixed(2)} GFLOP/s, ${ceilings.bandwidth_gbps.toFixed(2)} GB/s`);
  const results = await runSuites({
    suites: opts.suites, backends: [opts.backend], quick: opts.quick, config: opts.config, command: opts.command, onProgress: log,
  });
  const ran = results.backends.find((b) => b.name === opts.backend);
  if (!ran?.available) throw new BackendUnavailableError(opts.backend, ran?.reason ?? 'it did not run');
  return profileFromResults(results, opts.backend, {
    hardware: opts.hardware,
    ...(opts.peakGflops === undefined ? {} : { peakGflops: opts.peakGflops }),
    ...(opts.peakBandwidth === undefined ? {} : { peakBandwidth: opts.peakBandwidth }),
    ceilings,
  });
}
