/**
 * `fusebench <command>`: each command lives in harness/cli/<command>.ts and returns its exit code.
 * Exit 2 means the input could not be used (bad flag, missing file, schema violation).
 */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> }>> = {
  run: { summary: 'run suites and pipelines: fusebench run [--backends cpu,wasm] [--patterns ids|families] [--quick] [--out DIR] [files…]', load: () => import('./cli/run.ts') },
  render: { summary: 're-render a stored run under the thresholds in force: fusebench render results.json [--config FILE] [--out DIR]', load: () => import('./cli/render.ts') },
  backends: { summary: 'list backends, available or not, with reasons and install hints', load: () => import('./cli/backends.ts') },
  baseline: { summary: 'write a baseline: fusebench baseline --from results.json [--from more.json …] --out FILE [--force]', load: () => import('./cli/baseline.ts') },
  gate: { summary: 'gate a run against a baseline: fusebench gate --baseline B --current C [--max-regression 5%] [--alpha 0.05] [--times auto|off] [--comment out.md]', load: () => import('./cli/gate.ts') },
  export: { summary: 'export results for other tools: fusebench export --from results.json --format github-action-benchmark|bencher --out FILE', load: () => import('./cli/export.ts') },
  calibrate: { summary: 'calibrate hardware: fusebench calibrate --hardware NAME [--peak-gflops N] [--peak-bandwidth N] [--fusion-patterns …] [--backend B] [--quick] --output FILE', load: () => import('./cli/calibrate.ts') },
  compare: { summary: 'compare two calibration profiles side by side: fusebench compare A.json B.json [--out FILE]', load: () => import('./cli/compare.ts') },
  __worker: { summary: '(internal) measure sizes in a fresh process for process-level repetition', load: () => import('./cli/worker.ts') },
  patterns: { summary: 'rank fusible kernel pairs of a suite or pipeline: fusebench patterns <suite-or-pipeline>', load: () => import('./cli/patterns.ts') },
  setup: { summary: 'install a backend offline: fusebench setup tensorflow [--wheel PATH | --pip-spec tensorflow-cpu==X] [--gpu] [--force]', load: () => import('./cli/setup.ts') },
};

export function usage(): string {
  const lines = ['usage: fusebench <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) if (!name.startsWith('__')) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage());
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    console.error(`fusebench: unknown command "${command}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await entry.load()).main(rest);
  } catch (e) {
    // Input that cannot be used (a bad flag, a bad suite declaration, an unknown pattern) exits 2.
    if (e instanceof Error && (e.name === 'UsageError' || e.name === 'SuiteDeclarationError' || e.name === 'PipelineDeclarationError')) {
      console.error(`fusebench ${command}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
