/**
 * The TensorFlow wheel: fetched through pip (whatever index or local mirror pip is configured with; nothing
 * else is contacted) or given as a file, then read for the two shared libraries and the C API headers that
 * tfjs-node's binding compiles against. The wheel's `libtensorflow_cc.so.2` exports the whole C and eager C API.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SetupError, tail } from './errors.ts';
import { run } from './toolchain.ts';

/** The libraries tfjs-node links (`-ltensorflow -ltensorflow_framework`), as the wheel names them. */
export const WHEEL_LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'] as const;

/**
 * Header subtrees of `tensorflow/include/` that tensorflow/c/c_api.h and c/eager/c_api.h reach (TF 2.21: the c/
 * headers, xla/tsl/c/tsl_status.h and the ctstring headers; older wheels keep tsl/ at the top level).
 */
export const HEADER_PREFIXES = [
  'tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/c/', 'tsl/platform/ctstring', 'xla/tsl/c/', 'xla/tsl/platform/ctstring',
] as const;

export interface WheelContents {
  /** From the wheel's METADATA, e.g. `2.21.0`. */
  readonly tensorflowVersion: string;
  /** The distribution name, e.g. `tensorflow_cpu` or `tensorflow`. */
  readonly distribution: string;
  readonly headers: number;
  /** The RUNPATH/RPATH entries of libtensorflow_framework.so.2 (a CUDA build points at ../nvidia/*). */
  readonly runpath: readonly string[];
}

/** A wheel given with --wheel, checked to exist. */
export function givenWheel(path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new SetupError('no-wheel', `--wheel ${path}: no such file`);
  if (!abs.endsWith('.whl')) throw new SetupError('no-wheel', `--wheel ${path}: not a .whl file`);
  return abs;
}

/** `pip download SPEC --no-deps` into a fresh temporary folder; the caller removes it. */
export function pipDownload(python: string, spec: string): { wheel: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fusebench-wheel-'));
  const r = run(python, ['-m', 'pip', 'download', spec, '--no-deps', '--only-binary=:all:', '--dest', dir]);
  const wheels = readdirSync(dir).filter((f) => f.endsWith('.whl'));
  if (!r.ok || wheels.length !== 1) {
    throw new SetupError('no-wheel', `pip download ${spec} found no wheel (pip searches only the indexes it is configured with: \`${python} -m pip config list\`); ` +
      `give one with --wheel PATH or another --pip-spec.\n${tail(r.output)}`);
  }
  return { wheel: join(dir, wheels[0]), dir };
}

/** Reads the wheel with Python's zipfile: libraries into `<out>/lib`, headers into `<out>/include`. */
const EXTRACT = String.raw`
import json, os, re, shutil, sys, zipfile
wheel, out, prefixes, libs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
z = zipfile.ZipFile(wheel)
names = z.namelist()
meta = [n for n in names if n.endswith('.dist-info/METADATA')]
version = dist = ''
if meta:
    text = z.read(meta[0]).decode('utf8', 'replace')
    m = re.search(r'^Version: (\S+)', text, re.M); version = m.group(1) if m else ''
    dist = meta[0].split('-')[0]
missing = [l for l in libs if 'tensorflow/' + l not in names]
if missing:
    print(json.dumps({'missing': missing, 'version': version, 'dist': dist})); sys.exit(0)
def copy(member, dest):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with z.open(member) as src, open(dest, 'wb') as dst:
        shutil.copyfileobj(src, dst, 16 << 20)
for l in libs:
    copy('tensorflow/' + l, os.path.join(out, 'lib', l))
headers = 0
for n in names:
    if n.startswith('tensorflow/include/') and n.endswith('.h'):
        rel = n[len('tensorflow/include/'):]
        if any(rel.startswith(p) for p in prefixes):
            copy(n, os.path.join(out, 'include', rel)); headers += 1
print(json.dumps({'missing': [], 'version': version, 'dist': dist, 'headers': headers}))
`;

export function extractWheel(python: string, wheel: string, out: string): WheelContents {
  const r = run(python, ['-c', EXTRACT, wheel, out, JSON.stringify(HEADER_PREFIXES), JSON.stringify(WHEEL_LIBS)]);
  if (!r.ok) throw new SetupError('no-wheel', `cannot read ${wheel} as a wheel:\n${tail(r.output)}`);
  const info = JSON.parse(r.output.trim().split('\n').pop()!) as { missing: string[]; version: string; dist: string; headers?: number };
  if (info.missing.length) {
    throw new SetupError('no-wheel', `${wheel} (${info.dist || 'unknown'} ${info.version}) has no ${info.missing.map((m) => `tensorflow/${m}`).join(', ')}: ` +
      'not a Linux TensorFlow wheel (tensorflow-cpu or tensorflow, 2.x)');
  }
  if (!info.headers) throw new SetupError('no-wheel', `${wheel} has no C API headers under tensorflow/include/tensorflow/c/`);
  const dyn = run('readelf', ['-d', join(out, 'lib', WHEEL_LIBS[1])]);
  const runpath = dyn.ok ? [...dyn.output.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[(.*)\]/g)].flatMap((m) => m[1].split(':')) : [];
  return { tensorflowVersion: info.version, distribution: info.dist, headers: info.headers, runpath };
}

/** The `nvidia` namespace package's folder (pip's nvidia-* CUDA wheels), or undefined. */
export function nvidiaPackageDir(python: string): string | undefined {
  const r = run(python, ['-c', 'import nvidia, sys; sys.stdout.write(list(nvidia.__path__)[0])'], { timeoutMs: 60_000 });
  return r.ok && r.output.trim() && existsSync(r.output.trim()) ? r.output.trim() : undefined;
}
