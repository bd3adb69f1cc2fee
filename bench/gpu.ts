/**
 * `npm run bench:gpu`: regenerates reports/gpu/<gpu>/<backend>/ on a machine with a GPU, for every GPU backend
 * available there (webgpu, cuda). For each backend it writes, atomically:
 *   REPORT.md, DETAILS.md, results.json,                  every suite and pipeline, with the roofline ceilings measured first
 *   calibration-<backend>.json                             (REPORT.md the decision; DETAILS.md the per-size tables, PyTorch)
 *   MACRO-REPORT.md                                        the macro pipelines of the same run (--skip-macro leaves them out)
 *   torch-reference.json                                   PyTorch eager, torch.compile and its fused ops at the same sizes
 *                                                          (measured once, compared with every GPU backend)
 *
 *   npx tsx bench/gpu.ts [--backends webgpu,cuda] [--quick] [--out reports/gpu] [--python python3] [--cache warm|cold]
 *                        [--patterns ids|families] [--skip-macro] [--skip-torch] [--torch-json earlier/torch-reference.json]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../harness/core/config.ts';
import { loadBenchFiles } from '../harness/load.ts';
import { runSuites } from '../harness/run.ts';
import { writeRunOutputs } from '../harness/output.ts';
import { parseTorchReference, renderTorchComparison } from '../harness/report/torch.ts';
import { exportSizes } from './export-sizes.ts';
import { detectAll } from '../backends/registry.ts';
import { parseCache, withCache } from '../harness/env.ts';
import { selectDeclared } from '../harness/select.ts';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,cuda' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'reports/gpu' },
    python: { type: 'string', default: process.env.FUSEBENCH_PYTHON ?? 'python3' },
    'skip-macro': { type: 'boolean', default: false },
    'skip-torch': { type: 'boolean', default: false },
    cache: { type: 'string' },
    patterns: { type: 'string' },
    /** Reuse a torch-reference.json measured earlier on the same GPU instead of running PyTorch again. */
    'torch-json': { type: 'string' },
  },
});

function gpuName(): string {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return 'unknown-gpu';
  }
}

const slug = (s: string): string => s.toLowerCase().replace(/^nvidia\s+/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const quick = values.quick === true;
const gpu = gpuName();
const root = resolve(values.out!, slug(gpu));
const command = `npx tsx bench/gpu.ts ${process.argv.slice(2).join(' ')}`.trim();
const config = withCache(await loadConfig(), typeof values.cache === 'string' ? parseCache(values.cache, '--cache') : undefined);
const all = await loadBenchFiles();
const { suites, pipelines } = selectDeclared(values['skip-macro'] ? { ...all, pipelines: [] } : all, values.patterns, '--patterns');
const statuses = await detectAll();
const log = (line: string): void => console.log(line);

/** PyTorch eager vs torch.compile at the suites' own sizes (bench/torch-reference.py). */
function torchReference(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'fusebench-torch-'));
  const sizes = join(dir, 'sizes.json');
  const out = join(dir, 'torch-reference.json');
  writeFileSync(sizes, JSON.stringify(exportSizes(suites.map((s) => s.spec))));
  try {
    const timeoutS = Number(process.env.FUSEBENCH_TORCH_TIMEOUT_S ?? 900);
    execFileSync(values.python!, ['bench/torch-reference.py', '--sizes', sizes, '--out', out, ...(quick ? ['--quick'] : [])], { stdio: 'inherit', timeout: timeoutS * 1000 });
    return existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  } catch (e) {
    log(`torch reference failed: ${(e as Error).message}`);
    return undefined;
  }
}

let torchText: string | undefined;
for (const backend of values.backends!.split(',')) {
  const status = statuses.find((s) => s.name === backend);
  if (!status?.available) {
    log(`${backend}: unavailable (${status?.reason ?? 'unknown backend'}); skipped`);
    continue;
  }
  const outDir = join(root, backend);
  const started = Date.now();
  const results = await runSuites({ suites, pipelines, backends: [backend], quick, config, command, ceilings: quick ? { budgetMs: 1500 } : {}, onProgress: log });
  const extraSections: string[] = [];
  const extraFiles: Array<[string, string]> = [];
  if (!values['skip-torch']) {
    torchText ??= values['torch-json'] ? readFileSync(values['torch-json'], 'utf8') : torchReference();
    const text = torchText;
    if (text) {
      const torch = parseTorchReference(text, 'torch-reference.json');
      const c = results.backends.find((b) => b.name === backend)?.ceilings;
      extraSections.push(renderTorchComparison(results, torch, { gbps: c?.kernel?.bandwidth_gbps ?? c?.bandwidth_gbps ?? 0, gflops: c?.kernel?.matmul_gflops ?? c?.matmul_gflops ?? 0 }, backend));
      extraFiles.push(['torch-reference.json', text]);
    }
  }
  writeRunOutputs(results, outDir, { hardware: gpu, extraSections, extraFiles });
  log(`${backend}: suites and pipelines done in ${((Date.now() - started) / 1000).toFixed(0)} s → ${outDir}`);
}
