#!/usr/bin/env node
// The fusebench CLI. An installed package runs its built JavaScript (dist/); tsx is loaded only for a user's own
// TypeScript files (suites, fusebench.config.ts). A source checkout runs the sources through tsx, so that a
// stale dist/ there never stands in for the code being worked on.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const built = new URL('../dist/harness/cli.js', import.meta.url);
const fromSource = existsSync(new URL('../harness/cli.ts', import.meta.url));
if (fromSource) (await import('tsx/esm/api')).register();
const index = new URL(fromSource ? '../harness/index.ts' : '../dist/harness/index.js', import.meta.url);
register(new URL('../harness/resolve-hook.mjs', import.meta.url), { data: { index: index.href } });
const { main } = await import(fromSource ? '../harness/cli.ts' : built.href);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`fusebench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = e?.name === 'UsageError' || e?.name === 'SuiteDeclarationError' || e?.name === 'PipelineDeclarationError' ? 2 : 1;
}
