/**
 * Every TensorFlow C API symbol the built binding imports must be exported by the wheel's libraries; otherwise
 * the addon links (a shared object may leave symbols undefined) and fails only when Node loads it, with a
 * dlopen message. `nm -D` answers it first, naming the symbol.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SetupError } from './errors.ts';

/** `TFE_Execute@tensorflow` → `TFE_Execute`: version tags differ between importer and exporter. */
const bare = (symbol: string): string => symbol.split('@')[0];

/** Names in `nm -D` output lines (`<address> <type> <name>` or `<type> <name>`). */
export function parseNm(output: string): string[] {
  return output.split('\n').map((l) => l.trim().split(/\s+/).pop() ?? '').filter((s) => s.length > 0).map(bare);
}

/** The TensorFlow C API names (`TF_*`, `TFE_*`) an importer needs that no exporter provides. */
export function missingSymbols(imported: readonly string[], exported: Iterable<string>): string[] {
  const have = new Set(exported);
  return [...new Set(imported.filter((s) => /^TFE?_/.test(s)))].filter((s) => !have.has(s)).sort();
}

/** The C API names in `nm -D` output, read as a stream: libtensorflow_cc lists ~100 MB of C++ symbols. */
function nm(nmPath: string, args: readonly string[]): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nmPath, ['-D', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const names: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const name = parseNm(line)[0];
      if (name !== undefined && /^TFE?_/.test(name)) names.push(name);
    });
    child.on('error', (e) => reject(new SetupError('no-nm', `${nmPath}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(names);
      else reject(new SetupError('missing-symbol', `${nmPath} -D ${args.join(' ')} exited ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}

/** Throws `missing-symbol` naming each C API function the addon calls that the libraries do not export. */
export async function checkSymbols(nmPath: string, addon: string, libs: readonly string[]): Promise<{ imported: number }> {
  const imported = await nm(nmPath, ['--undefined-only', addon]);
  const exported = (await Promise.all(libs.map((lib) => nm(nmPath, ['--defined-only', lib])))).flat();
  const missing = missingSymbols(imported, exported);
  if (missing.length) {
    throw new SetupError('missing-symbol', `the binding calls ${missing.join(', ')}, which ${libs.join(' and ')} do not export (nm -D); ` +
      'this TensorFlow build is too old or too new for tfjs-node\'s binding: try another wheel (--wheel / --pip-spec)');
  }
  return { imported: imported.length };
}
