/**
 * Worker processes: a fresh `fusebench __worker` process measures a batch of planned sizes on one backend and
 * sends each result back over IPC. Workers run one at a time, so they never time each other, and the parent waits.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FusebenchConfig } from './core/config.ts';
import type { SizeParams, SizeResult } from './core/types.ts';
import { PACKAGE_ROOT } from './core/typescript.ts';

export interface WorkerItem {
  readonly backend: string;
  readonly file: string;
  readonly id: string;
  readonly params: SizeParams;
}

/** A batch of planned sizes, possibly on several backends (one process serves a suite file's every backend). */
export interface WorkerJob {
  readonly quick: boolean;
  readonly config: FusebenchConfig;
  readonly items: readonly WorkerItem[];
}

export type WorkerMessage =
  | { readonly kind: 'result'; readonly index: number; readonly result: SizeResult }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'done' };

const BIN = fileURLToPath(new URL('bin/fusebench.mjs', PACKAGE_ROOT));

/** Runs one worker process over `job`; `onResult` sees each size's result as it arrives. Rejects if the worker fails. */
export function runWorker(job: WorkerJob, onResult: (index: number, result: SizeResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(BIN, ['__worker'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, FUSEBENCH_WORKER: '1' } });
    let failure: string | undefined;
    let done = false;
    child.on('message', (m: WorkerMessage) => {
      if (m.kind === 'result') onResult(m.index, m.result);
      else if (m.kind === 'error') failure = m.message;
      else done = true;
    });
    child.on('error', (e) => reject(e));
    child.on('exit', (code) => {
      if (done && code === 0) resolve();
      else reject(new Error(`worker process for ${[...new Set(job.items.map((i) => i.backend))].join(', ')} ${failure ? `failed: ${failure}` : `exited with code ${code}`}`));
    });
    child.send(job);
  });
}
