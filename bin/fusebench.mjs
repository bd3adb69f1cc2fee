#!/usr/bin/env node
// The fusebench CLI. TypeScript runs through tsx; `fusebench` imports resolve to this checkout's harness.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register(new URL('../harness/resolve-hook.mjs', import.meta.url));
const { main } = await import('../harness/cli.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`fusebench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = e?.name === 'UsageError' || e?.name === 'SuiteDeclarationError' ? 2 : 1;
}
