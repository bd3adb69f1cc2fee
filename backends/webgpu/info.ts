/** What a report says about the WebGPU device: the adapter as Dawn names it, plus the driver where known. */
import type { DeviceInfo } from '../../harness/core/types.ts';
import { adapterName, type AdapterInfoLike } from './detect.ts';

export interface DeviceFacts {
  readonly info: AdapterInfoLike;
  readonly dawnBackend: string;
  readonly featureLevel: string;
  readonly deviceFeatures: readonly string[];
  readonly timestampQuery: boolean;
  readonly driver?: string;
  readonly software: boolean;
}

export function deviceInfo(f: DeviceFacts): DeviceInfo {
  const name = adapterName(f.info);
  const driver = f.driver ? `, driver ${f.driver}` : '';
  const timing = f.timestampQuery ? 'GPU kernel time from timestamp-query' : 'no timestamp-query (wall time only)';
  return {
    description: `${name} (WebGPU on Dawn ${f.dawnBackend}${driver}; ${timing}${f.software ? '; SOFTWARE adapter' : ''})`,
    vendor: f.info.vendor,
    architecture: f.info.architecture,
    device: f.info.device,
    adapterDescription: f.info.description,
    driver: f.driver ?? 'unknown',
    dawnBackend: f.dawnBackend,
    featureLevel: f.featureLevel,
    timestampQuery: f.timestampQuery,
    deviceFeatures: f.deviceFeatures.join(','),
    software: f.software,
  };
}
