/**
 * `fusebench setup tensorflow`: the tensorflow backend without Google's download servers, on any TensorFlow
 * 2.x that pip can reach (a local wheel mirror, an air-gapped wheelhouse, or a CUDA 12/13 build).
 *
 *   1. npm installs @tensorflow/tfjs-node (or -gpu) at tfjs-core's version into the project's node_modules,
 *      without its install script (which would fetch libtensorflow 2.9.1) and without touching package.json
 *      or the lockfile;
 *   2. pip fetches the TensorFlow wheel (or --wheel names one); its libtensorflow_cc.so.2 and
 *      libtensorflow_framework.so.2 go to the package's deps/lib, libtensorflow.so pointing at the first, and
 *      the C API headers to deps/include;
 *   3. the binding gets list attrs (binding-patch.ts) and is compiled with node-gyp against this Node's
 *      headers, for the N-API version the package looks up at load time;
 *   4. nm -D checks that the libraries export every C API symbol the addon imports;
 *   5. a smoke check loads the package in a fresh process and runs a matMul and a real _FusedMatMul.
 * A stamp in deps/ makes a second run with the same request skip steps 1–4.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BINDING_PATCH_ID, patchBindingSource } from './binding-patch.ts';
import { SetupError, tail } from './errors.ts';
import { checkSymbols } from './symbols.ts';
import { smokeCheck, type SmokeResult } from './smoke.ts';
import { findCompiler, findNm, findNodeGyp, findNodeHeaders, findPython, run } from './toolchain.ts';
import { extractWheel, givenWheel, nvidiaPackageDir, pipDownload, WHEEL_LIBS, type WheelContents } from './wheel.ts';

/** The TensorFlow release this route was verified with (tensorflow-cpu 2.21.0 on Linux x86_64). */
export const DEFAULT_TENSORFLOW_VERSION = '2.21.0';

export interface TensorflowSetupOptions {
  /** @tensorflow/tfjs-node-gpu against a CUDA build of TensorFlow, instead of tfjs-node against tensorflow-cpu. */
  readonly gpu: boolean;
  readonly wheel?: string;
  readonly pipSpec?: string;
  /** Redo every step even when the stamp says it is done. */
  readonly force?: boolean;
  /** The folder whose node_modules receives the package; default: the one fusebench's tfjs-core lives in. */
  readonly projectRoot?: string;
  readonly log?: (line: string) => void;
}

export interface TensorflowSetupResult {
  readonly package: string;
  readonly packageDir: string;
  readonly addon: string;
  readonly tensorflowVersion: string;
  readonly usingGpu: boolean;
  /** False when the stamp showed the same request already done and only the smoke check ran. */
  readonly built: boolean;
  readonly seconds: number;
}

interface Stamp {
  readonly patch: string;
  readonly source: string;
  readonly package: string;
  readonly version: string;
  readonly addon: string;
  readonly wheel?: WheelContents;
}

const STAMP = 'fusebench-setup.json';

export const packageFor = (gpu: boolean): string => (gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
export const defaultPipSpec = (gpu: boolean): string => `${gpu ? 'tensorflow' : 'tensorflow-cpu'}==${DEFAULT_TENSORFLOW_VERSION}`;

/** The folder above the node_modules that holds the @tensorflow/tfjs-core fusebench imports. */
export function defaultProjectRoot(): string {
  const core = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');
  const at = core.lastIndexOf(`${join('node_modules', '@tensorflow', 'tfjs-core')}`);
  if (at < 0) throw new SetupError('npm', `@tensorflow/tfjs-core resolves to ${core}, outside a node_modules folder`);
  return core.slice(0, at - 1);
}

const readJson = <T>(path: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

function sourceOf(opts: TensorflowSetupOptions): string {
  if (opts.wheel) {
    const wheel = givenWheel(opts.wheel);
    const st = statSync(wheel);
    return `wheel:${wheel}:${st.size}:${Math.round(st.mtimeMs)}`;
  }
  return `pip:${opts.pipSpec ?? defaultPipSpec(opts.gpu)}`;
}

/** Step 1: npm install --no-save, with package.json and the lockfile checked byte for byte afterwards. */
function installPackage(root: string, pkg: string, version: string): boolean {
  const installed = readJson<{ version?: string }>(join(root, 'node_modules', pkg, 'package.json'));
  if (installed?.version === version) return false;
  const guarded = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json'].map((f) => join(root, f)).filter((f) => existsSync(f));
  const before = guarded.map((f) => readFileSync(f));
  // --save-dev with --no-save: an optional peer named alone is "up to date" to npm and installs nothing;
  // named as a dev dependency it installs, and --no-save keeps it out of package.json and the lockfile.
  const r = run('npm', ['install', '--no-save', '--save-dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', `${pkg}@${version}`], { cwd: root });
  guarded.forEach((f, i) => {
    if (!readFileSync(f).equals(before[i])) writeFileSync(f, before[i]);
  });
  if (!r.ok || readJson<{ version?: string }>(join(root, 'node_modules', pkg, 'package.json'))?.version !== version) {
    throw new SetupError('npm', `npm install ${pkg}@${version} (in ${root}) failed:\n${tail(r.output)}`);
  }
  return true;
}

/** Step 2: libraries and headers into a staging folder, then swapped in as deps/. */
function installLibraries(pkgDir: string, python: string, opts: TensorflowSetupOptions, log: (l: string) => void): WheelContents {
  let tempDir: string | undefined;
  let wheel: string;
  if (opts.wheel) {
    wheel = givenWheel(opts.wheel);
  } else {
    const spec = opts.pipSpec ?? defaultPipSpec(opts.gpu);
    const got = pipDownload(python, spec);
    wheel = got.wheel;
    tempDir = got.dir;
    log(`  pip: ${spec} → ${wheel.split('/').pop()}`);
  }
  const staging = join(pkgDir, 'deps.fusebench-staging');
  rmSync(staging, { recursive: true, force: true });
  try {
    const contents = extractWheel(python, wheel, staging);
    symlinkSync(WHEEL_LIBS[0], join(staging, 'lib', 'libtensorflow.so'));
    symlinkSync(WHEEL_LIBS[1], join(staging, 'lib', 'libtensorflow_framework.so'));
    // A CUDA build finds its CUDA libraries through RUNPATH entries $ORIGIN/../nvidia/<lib>/lib, i.e. pip's
    // nvidia-* wheels beside it in site-packages; from deps/lib, $ORIGIN/../nvidia is deps/nvidia.
    if (contents.runpath.some((p) => p.includes('/nvidia/'))) {
      const nvidia = nvidiaPackageDir(python);
      if (nvidia) {
        symlinkSync(nvidia, join(staging, 'nvidia'));
        log(`  CUDA libraries: deps/nvidia → ${nvidia}`);
      } else {
        log('  CUDA libraries: this wheel looks for pip\'s nvidia-* wheels ($ORIGIN/../nvidia), and none is installed for this Python; they must then be on the loader path (LD_LIBRARY_PATH)');
      }
    }
    const deps = join(pkgDir, 'deps');
    rmSync(deps, { recursive: true, force: true });
    renameSync(staging, deps);
    return contents;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Where tfjs-node's index.js will look for the addon (node-pre-gyp's `find`, per N-API version). */
function addonPath(pkgDir: string): string {
  const req = createRequire(join(pkgDir, 'package.json'));
  const preGyp = req('@mapbox/node-pre-gyp') as { find(packageJson: string): string };
  return preGyp.find(join(pkgDir, 'package.json'));
}

/** Step 3: patch and compile the binding for exactly the N-API version the package loads. */
function buildAddon(pkgDir: string, addon: string, env: NodeJS.ProcessEnv): void {
  const source = join(pkgDir, 'binding', 'tfjs_backend.cc');
  const text = readFileSync(source, 'utf8');
  const patched = patchBindingSource(text, source);
  if (patched !== text) writeFileSync(source, patched);
  const napi = /napi-v(\d+)/.exec(addon)?.[1];
  if (!napi) throw new SetupError('build', `cannot tell the N-API version from the addon path ${addon}`);
  const nodeGyp = findNodeGyp(env);
  const r = run(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${env.npm_config_nodedir}`, '--module_name=tfjs_binding',
    `--module_path=${dirname(addon)}`, `--napi_build_version=${napi}`, '--jobs=max'], { cwd: pkgDir, env });
  if (!r.ok || !existsSync(addon)) throw new SetupError('build', `node-gyp rebuild failed in ${pkgDir}:\n${tail(r.output, 25)}`);
}

export async function setupTensorflow(opts: TensorflowSetupOptions): Promise<TensorflowSetupResult> {
  const started = Date.now();
  const log = opts.log ?? ((l: string) => console.log(l));
  const step = (name: string, since: number): void => log(`✓ ${name} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
  if (process.platform !== 'linux') throw new SetupError('no-wheel', `setup reads Linux TensorFlow wheels; this is ${process.platform}`);
  const root = resolve(opts.projectRoot ?? defaultProjectRoot());
  const pkg = packageFor(opts.gpu);
  const version = readJson<{ version?: string }>(join(root, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'))?.version;
  if (!version) throw new SetupError('npm', `no @tensorflow/tfjs-core in ${join(root, 'node_modules')}: run npm install (or npm ci) there first`);
  const source = sourceOf(opts);
  const pkgDir = join(root, 'node_modules', pkg);
  const stamp = readJson<Stamp>(join(pkgDir, 'deps', STAMP));
  const done = !opts.force && stamp !== undefined && stamp.patch === BINDING_PATCH_ID && stamp.source === source && stamp.version === version &&
    existsSync(stamp.addon) && WHEEL_LIBS.every((l) => existsSync(join(pkgDir, 'deps', 'lib', l)));

  let built = false;
  if (done) {
    log(`✓ ${pkg}@${version} already set up from ${source} (TensorFlow ${stamp.wheel?.tensorflowVersion ?? '?'}); --force redoes it`);
  } else {
    // Every tool first, so that a missing one fails in a second rather than after the install.
    let t = Date.now();
    const python = findPython();
    const { cxx } = findCompiler();
    const nodedir = findNodeHeaders();
    const nm = findNm();
    const env: NodeJS.ProcessEnv = { ...process.env, CXX: cxx, npm_config_nodedir: nodedir };
    findNodeGyp(env);
    step(`tools: ${python}, ${cxx}, Node headers in ${nodedir}`, t);

    t = Date.now();
    const installed = installPackage(root, pkg, version);
    step(`${pkg}@${version} ${installed ? 'installed (npm, no install script, package.json and lockfile untouched)' : 'already in node_modules'}`, t);

    t = Date.now();
    const wheel = installLibraries(pkgDir, python, opts, log);
    step(`TensorFlow ${wheel.tensorflowVersion} (${wheel.distribution}): ${WHEEL_LIBS.join(', ')} and ${wheel.headers} headers in ${join(pkgDir, 'deps')}`, t);

    t = Date.now();
    const addon = addonPath(pkgDir);
    buildAddon(pkgDir, addon, env);
    step(`binding built from source with list attrs (${addon})`, t);

    t = Date.now();
    const { imported } = await checkSymbols(nm, addon, WHEEL_LIBS.map((l) => join(pkgDir, 'deps', 'lib', l)));
    step(`nm -D: all ${imported} TensorFlow C API symbols the binding imports are exported`, t);

    const next: Stamp = { patch: BINDING_PATCH_ID, source, package: pkg, version, addon, wheel };
    writeFileSync(join(pkgDir, 'deps', STAMP), `${JSON.stringify(next, null, 2)}\n`);
    built = true;
  }

  const t = Date.now();
  const smoke: SmokeResult = smokeCheck(root, pkg);
  step(`smoke check: ${pkg} loads TensorFlow ${smoke.tensorflowVersion}, matMul and _FusedMatMul [BiasAdd, Relu] correct, GPU device ${smoke.usingGpu ? 'in use' : 'not in use'}`, t);
  if (opts.gpu && !smoke.usingGpu) {
    throw new SetupError('no-gpu', `${pkg} is installed and loads, but TensorFlow ${smoke.tensorflowVersion} found no usable GPU ` +
      '(driver, or CUDA/cuDNN libraries matching this TensorFlow build, not found: run with TF_CPP_MIN_LOG_LEVEL=0 to see TensorFlow\'s reason). ' +
      'It stays installed in place of tfjs-node, so the tensorflow backend now loads it (kind gpu, ops on the CPU); `fusebench setup tensorflow` without --gpu puts tfjs-node back');
  }
  const addon = done ? stamp!.addon : addonPath(pkgDir);
  return {
    package: pkg, packageDir: pkgDir, addon, tensorflowVersion: smoke.tensorflowVersion, usingGpu: smoke.usingGpu, built,
    seconds: (Date.now() - started) / 1000,
  };
}
