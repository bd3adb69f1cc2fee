/**
 * Dawn in Node: the `webgpu` npm package (dawn.node) and the browser globals tfjs-backend-webgpu expects.
 * tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when its module is evaluated, and its
 * backend uses `GPUBufferUsage`, `GPUMapMode`, `GPUBuffer`… as globals, so both must be in place before the
 * module is imported: `installGpuGlobals` first, then `import('@tensorflow/tfjs-backend-webgpu')`.
 */

/** What dawn.node exports. */
export interface DawnModule {
  create(flags: string[]): GPU;
  readonly globals: object;
}

export async function loadDawn(): Promise<DawnModule> {
  const mod = (await import('webgpu')) as unknown as DawnModule;
  if (typeof mod.create !== 'function') throw new Error('the webgpu package has no create() export');
  return mod;
}

interface NavigatorLike {
  gpu?: GPU;
}

/** Makes `navigator.gpu` and the WebGPU constants/classes global. Keeps Node's own navigator where it has one. */
export function installGpuGlobals(dawn: DawnModule, gpu: GPU): void {
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as { navigator?: NavigatorLike };
  const nav = g.navigator;
  if (nav && typeof nav === 'object') {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true, enumerable: true });
  }
}

/**
 * Drops the global reference to dawn.node's GPU object: while it is reachable, Dawn's threads keep Node
 * from exiting (dawn-gpu/node-webgpu README, "Lifetime").
 */
export function removeGpuGlobal(): void {
  const nav = (globalThis as { navigator?: NavigatorLike }).navigator;
  if (nav && 'gpu' in nav) delete nav.gpu;
}
