/**
 * A user's own TypeScript files (suites, fusebench.config.ts) when fusebench itself runs as built JavaScript:
 * tsx's loader is registered on first need, for those files only. Running from source, a TypeScript loader is
 * already in place (the source could not run otherwise), so nothing is registered.
 */
let registered: Promise<void> | undefined;

// Bundled into CommonJS (the conformance runner's esbuild bundle of the sources) there is no import.meta.url:
// that is source too.
const here: string | undefined = import.meta.url;
const RUNNING_FROM_SOURCE = here === undefined || here.endsWith('.ts');

/** The package's root folder (this file is harness/core/typescript.ts, or dist/harness/core/typescript.js when built). */
export const PACKAGE_ROOT = new URL(here === undefined ? 'file:///' : RUNNING_FROM_SOURCE ? '../../' : '../../../', here ?? 'file:///');

/** The extension of fusebench's own modules here: `.ts` from source, `.js` from the build. */
export const OWN_EXTENSION = RUNNING_FROM_SOURCE ? '.ts' : '.js';

export function ensureTypeScriptLoader(file: string): Promise<void> {
  if (RUNNING_FROM_SOURCE || !/\.(c|m)?tsx?$/.test(file)) return Promise.resolve();
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registered;
}
