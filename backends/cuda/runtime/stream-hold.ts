/**
 * Device time with no host gaps: nvbench's blocking-kernel method. A one-thread kernel holds the stream, spinning
 * on a flag in mapped host memory; the host queues the start event, the work and the end event behind it, then
 * sets the flag, so the GPU runs the whole sequence back to back and the events time the device alone, even when
 * the host issues calls more slowly than the GPU runs them.
 *
 * The kernel gives up after a timeout and says so: the host may have blocked while queueing (a full launch queue,
 * or a call that waits for the stream). Such a measurement holds host time and is discarded (undefined).
 */
import type { Driver, Handle, DevicePtr } from '../ffi/driver.ts';
import type { KernelCompiler } from './compiler.ts';
import { arg, type Launcher } from './launcher.ts';

export const HOLD_SOURCE = `
extern "C" __global__ void fb_hold_stream(const volatile unsigned int* release, unsigned int* timedOut, unsigned long long timeoutNs) {
  unsigned long long t0, t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
  while (release[0] == 0u) {
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    if (t - t0 > timeoutNs) { *timedOut = 1u; return; }
    __nanosleep(200);
  }
}
`;

export class StreamHold {
  private readonly flags: { host: Handle; view: ArrayBuffer; device: DevicePtr };
  /** [0]: release (host → device), [1]: timed out (device → host). */
  private readonly words: Uint32Array;
  private readonly start: Handle;
  private readonly end: Handle;

  constructor(private readonly driver: Driver, private readonly compiler: KernelCompiler, private readonly launcher: Launcher) {
    this.flags = driver.mappedHostAlloc(64);
    this.words = new Uint32Array(this.flags.view, 0, 2);
    this.start = driver.eventCreate();
    this.end = driver.eventCreate();
  }

  /** Device milliseconds of what `issue` launches, or undefined when the hold timed out before it was all queued. */
  time(issue: () => void, timeoutMs = 2000): number | undefined {
    const kernel = this.compiler.kernel(HOLD_SOURCE, 'fb_hold_stream', 'fusebench_hold.cu');
    this.words[0] = 0;
    this.words[1] = 0;
    this.launcher.launch(kernel, [1], [1], [arg.ptr(this.flags.device), arg.ptr(this.flags.device + 4), arg.u64(timeoutMs * 1e6)]);
    try {
      this.driver.eventRecord(this.start);
      issue();
      this.driver.eventRecord(this.end);
    } finally {
      this.words[0] = 1;
    }
    this.driver.eventSynchronize(this.end);
    if (this.words[1] !== 0) return undefined;
    return this.driver.elapsedMs(this.start, this.end);
  }
}
