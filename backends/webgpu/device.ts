/**
 * The GPUDevice fusebench asks for: the adapter's full limits (as tfjs-backend-webgpu's own factory does,
 * so big tensors fit) and `timestamp-query` whenever the adapter has it, since that is what makes
 * `tf.time` report real GPU kernel time.
 */
import type { AdapterLike, LimitsLike } from './detect.ts';

export const TIMESTAMP_QUERY = 'timestamp-query';

/** Limits copied from the adapter into the device request (tfjs-backend-webgpu's base.ts asks for the same ones). */
const RAISED_LIMITS: ReadonlyArray<keyof LimitsLike> = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
];

export interface DeviceRequest {
  readonly requiredFeatures: string[];
  readonly requiredLimits: Record<string, number>;
}

export function deviceRequest(adapter: AdapterLike, requiredFeatures: readonly string[] = []): DeviceRequest {
  const features = new Set<string>(requiredFeatures);
  if (adapter.features.has(TIMESTAMP_QUERY)) features.add(TIMESTAMP_QUERY);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  // maxComputeWorkgroupsPerDimension matters for large flat dispatches; it is not in LimitsLike because
  // detection never rejects on it, so it is copied when the adapter reports it.
  const perDim = (adapter.limits as unknown as Record<string, unknown>).maxComputeWorkgroupsPerDimension;
  if (typeof perDim === 'number') requiredLimits.maxComputeWorkgroupsPerDimension = perDim;
  return { requiredFeatures: [...features].sort(), requiredLimits };
}
