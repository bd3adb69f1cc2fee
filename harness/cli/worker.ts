/**
 * `fusebench __worker` (internal): the worker side of process-level repetition. It reads one job over IPC
 * (a backend and a batch of planned sizes), measures each size in this fresh process, and sends each result back.
 */
import type { WorkerJob, WorkerMessage } from '../workers.ts';
import type { BackendAdapter } from '../core/types.ts';
import { activateBackend } from '../activate.ts';
import { measureItem, resolveItemRef } from '../run.ts';

function send(m: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(m, () => resolve()));
}

async function work(job: WorkerJob): Promise<void> {
  const adapters = new Map<string, BackendAdapter>();
  for (const [index, item] of job.items.entries()) {
    let adapter = adapters.get(item.backend);
    if (!adapter) adapters.set(item.backend, (adapter = await activateBackend(item.backend)));
    else await adapter.init(); // re-selects it as tfjs's active backend
    const planned = await resolveItemRef({ kind: 'suite', ...item });
    const m = await measureItem(planned, adapter, { config: job.config, quick: job.quick });
    if (m.kind !== 'suite') throw new Error(`${item.file}: "${item.id}" is not a suite`);
    await send({ kind: 'result', index, result: m.result });
  }
  for (const a of adapters.values()) await a.teardown();
}

export async function main(): Promise<number> {
  if (!process.send) {
    console.error('fusebench __worker: internal command, run by fusebench itself over IPC');
    return 2;
  }
  const job = await new Promise<WorkerJob>((resolve) => process.once('message', (m) => resolve(m as WorkerJob)));
  try {
    await work(job);
    await send({ kind: 'done' });
    return 0;
  } catch (e) {
    await send({ kind: 'error', message: (e as Error).message });
    return 1;
  } finally {
    process.disconnect();
  }
}
