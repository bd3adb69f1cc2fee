/**
 * How the webgpu backend reaches a GPU, from the environment. Defaults are what a benchmark run wants:
 * Dawn's Vulkan backend, a core-feature-level hardware adapter, timestamp queries unquantised.
 *
 *   FUSEBENCH_WEBGPU_DAWN_BACKEND     vulkan (default) | opengl | opengles | null
 *   FUSEBENCH_WEBGPU_FEATURE_LEVEL    core (default) | compatibility
 *   FUSEBENCH_WEBGPU_REQUIRE_FEATURES comma list of adapter features without which the backend is unavailable
 *                                     (e.g. `timestamp-query` for a report that must carry GPU kernel times)
 *   FUSEBENCH_WEBGPU_ALLOW_SOFTWARE   1 to accept a CPU implementation (llvmpipe, lavapipe, SwiftShader): correctness only
 */

export const DAWN_BACKENDS = ['vulkan', 'opengl', 'opengles', 'null'] as const;
export type DawnBackend = (typeof DAWN_BACKENDS)[number];

export const FEATURE_LEVELS = ['core', 'compatibility'] as const;
export type FeatureLevel = (typeof FEATURE_LEVELS)[number];

export interface WebGPUOptions {
  readonly dawnBackend: DawnBackend;
  readonly featureLevel: FeatureLevel;
  readonly requiredFeatures: readonly string[];
  readonly allowSoftware: boolean;
}

export const defaultWebGPUOptions: WebGPUOptions = {
  dawnBackend: 'vulkan',
  featureLevel: 'core',
  requiredFeatures: [],
  allowSoftware: false,
};

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name}: unknown value "${value}"; expected one of ${allowed.join(', ')}`);
}

const truthy = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export function readWebGPUOptions(env: NodeJS.ProcessEnv = process.env): WebGPUOptions {
  const backend = env.FUSEBENCH_WEBGPU_DAWN_BACKEND;
  const level = env.FUSEBENCH_WEBGPU_FEATURE_LEVEL;
  const required = env.FUSEBENCH_WEBGPU_REQUIRE_FEATURES;
  return {
    dawnBackend: backend ? oneOf('FUSEBENCH_WEBGPU_DAWN_BACKEND', backend, DAWN_BACKENDS) : defaultWebGPUOptions.dawnBackend,
    featureLevel: level ? oneOf('FUSEBENCH_WEBGPU_FEATURE_LEVEL', level, FEATURE_LEVELS) : defaultWebGPUOptions.featureLevel,
    requiredFeatures: required ? required.split(',').map((s) => s.trim()).filter(Boolean) : [],
    allowSoftware: truthy(env.FUSEBENCH_WEBGPU_ALLOW_SOFTWARE),
  };
}

/**
 * The flags handed to dawn.node's `create()`. Dawn quantises timestamps by default (a browser's defence
 * against timing attacks); a benchmark needs them exact, so quantisation is switched off.
 */
export function dawnFlags(options: WebGPUOptions): string[] {
  return [`backend=${options.dawnBackend}`, 'disable-dawn-features=timestamp_quantization'];
}
