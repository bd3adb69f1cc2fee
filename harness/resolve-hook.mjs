// Node module hooks for the CLI, so that a suite file anywhere on disk runs as it does inside this package:
// - `fusebench` resolves to this package's entry (built or source, as bin/fusebench.mjs passes it);
// - bare imports the file's own folder cannot satisfy (e.g. @tensorflow/tfjs-core) resolve from here,
//   so the suite shares the harness's single tfjs engine;
// - `*.bench.ts` files and `fusebench.config.ts` load as ES modules even without a `"type": "module"` package.json.
let harness = new URL('./index.ts', import.meta.url).href;

export function initialize(data) {
  if (data?.index) harness = data.index;
}

const isBare = (s) => !s.startsWith('.') && !s.startsWith('/') && !s.includes(':');

export async function resolve(specifier, context, next) {
  if (specifier === 'fusebench') return { url: harness, format: 'module', shortCircuit: true };
  let result;
  try {
    result = await next(specifier, context);
  } catch (e) {
    if (!isBare(specifier) || e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    result = await next(specifier, { ...context, parentURL: harness });
  }
  if (result.url.endsWith('.bench.ts') || /\/fusebench\.config\.(ts|mts|js)$/.test(result.url)) return { ...result, format: 'module' };
  return result;
}
