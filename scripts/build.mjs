// `npm run build`: compiles harness/, backends/, kernels/ and suites/ to dist/ (ES modules, .d.ts, source maps)
// with tsc, and puts the JSON Schemas beside them where the compiled code looks for them (dist/schemas/).
import { cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/tsconfig.build.json`], { stdio: ['ignore', 2, 2] });
cpSync(`${root}/schemas`, `${root}/dist/schemas`, { recursive: true });
console.error('built dist/');
