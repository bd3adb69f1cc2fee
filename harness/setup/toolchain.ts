/**
 * The tools `fusebench setup tensorflow` builds with, found on this machine or named as missing: a C++
 * compiler and make (node-gyp's), Node's own headers (so that node-gyp downloads nothing), node-gyp, nm and
 * Python (which reads the wheel and runs pip).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { SetupError } from './errors.ts';

export interface RunResult {
  readonly ok: boolean;
  readonly status: number | null;
  /** stdout and stderr together, for messages. */
  readonly output: string;
  readonly stdout: string;
}

/** Runs a command to completion, stdout and stderr captured together; never throws for a failed command. */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunResult {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  return { ok: r.status === 0 && !r.error, status: r.status, output, stdout: r.stdout ?? '' };
}

const works = (cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean => run(cmd, args, { env, timeoutMs: 30_000 }).ok;

/** $CXX or c++/g++/clang++, and make: what node-gyp's Makefile generator calls. */
export function findCompiler(env: NodeJS.ProcessEnv = process.env): { cxx: string; make: string } {
  const candidates = [env.CXX, 'c++', 'g++', 'clang++'].filter((c): c is string => typeof c === 'string' && c.length > 0);
  const cxx = candidates.find((c) => works(c, ['--version'], env));
  if (!cxx) {
    throw new SetupError('no-compiler', `no C++ compiler: tried ${candidates.join(', ')} (--version); install one (Debian/Ubuntu: apt-get install g++ make) or set CXX`);
  }
  const make = [env.MAKE, 'make', 'gmake'].filter((c): c is string => typeof c === 'string' && c.length > 0).find((c) => works(c, ['--version'], env));
  if (!make) throw new SetupError('no-compiler', 'no make: node-gyp builds through a Makefile (Debian/Ubuntu: apt-get install make)');
  return { cxx, make };
}

/** Directories that may hold `include/node/node_api.h` for the running Node, in the order they are tried. */
export function nodeHeaderCandidates(env: NodeJS.ProcessEnv = process.env, execPath = process.execPath, version = process.version): string[] {
  const fromNpm = env.npm_config_nodedir ?? env.NPM_CONFIG_NODEDIR;
  const npmConfig = fromNpm ? [] : [run('npm', ['config', 'get', 'nodedir'], { timeoutMs: 30_000 }).output.trim()].filter((d) => d && d !== 'undefined' && d !== 'null');
  return [
    ...(fromNpm ? [fromNpm] : npmConfig),
    dirname(dirname(execPath)), // /usr for /usr/bin/node, the tarball root for a downloaded Node
    join(homedir(), '.cache', 'node-gyp', version.replace(/^v/, '')), // node-gyp's own cache, when it was filled earlier
  ];
}

/** A `--nodedir` that has Node's headers, so that node-gyp never downloads them. */
export function findNodeHeaders(candidates: readonly string[] = nodeHeaderCandidates()): string {
  const dir = candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi')));
  if (!dir) {
    throw new SetupError('no-node-headers', `no Node ${process.version} headers (include/node/node_api.h and common.gypi) in ${candidates.join(', ')}; ` +
      'install them (the Node release tarball\'s include/node, or your distribution\'s Node development package) and set npm_config_nodedir to the directory above include/');
  }
  return dir;
}

/** node-gyp's entry script: $npm_config_node_gyp, else the copy npm bundles next to this Node. */
export function findNodeGyp(env: NodeJS.ProcessEnv = process.env, execPath = process.execPath): string {
  const candidates = [
    env.npm_config_node_gyp,
    join(dirname(dirname(execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new SetupError('no-node-gyp', `node-gyp not found (looked at ${candidates.join(', ')}); npm ships it, or set npm_config_node_gyp to node-gyp.js`);
  return found;
}

export function findNm(env: NodeJS.ProcessEnv = process.env): string {
  if (!works('nm', ['--version'], env)) throw new SetupError('no-nm', 'nm (binutils) not found: it checks that libtensorflow exports every C API symbol the binding calls');
  return 'nm';
}

/** The Python that reads the wheel (and runs pip): $PYTHON, python3, python. */
export function findPython(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.PYTHON, 'python3', 'python'].filter((c): c is string => typeof c === 'string' && c.length > 0);
  const found = candidates.find((c) => works(c, ['-c', 'import sys, zipfile; sys.exit(0 if sys.version_info >= (3, 8) else 1)'], env));
  if (!found) throw new SetupError('no-python', `no Python 3.8+ (tried ${candidates.join(', ')}): it runs pip and reads the TensorFlow wheel`);
  return found;
}
