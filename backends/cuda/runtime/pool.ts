/**
 * Caching device allocator. Freed blocks go to a free list per size class and are handed out again;
 * all work runs on one stream, so a block freed after a launch is safe to reuse by the next launch
 * (stream order). Pure logic over an injected allocator so it is testable without a GPU.
 */
export interface RawAllocator {
  /** Returns 0 when the device is out of memory; throws on any other failure. */
  alloc(bytes: number): number;
  free(ptr: number): void;
}

export interface PoolStats {
  /** Bytes of blocks handed out and not yet released (rounded to size classes). */
  readonly inUseBytes: number;
  /** Bytes of blocks held in the free lists. */
  readonly cachedBytes: number;
  readonly liveBlocks: number;
  /** Device allocations actually made, for tests and reports. */
  readonly deviceAllocs: number;
}

const SMALL = 1 << 20;
const SMALL_STEP = 512;
const LARGE_STEP = 2 << 20;

/** The size class a request is served from: 512-byte steps below 1 MiB, 2 MiB steps above. */
export function sizeClass(bytes: number): number {
  if (bytes <= 0) return 0;
  const step = bytes < SMALL ? SMALL_STEP : LARGE_STEP;
  return Math.ceil(bytes / step) * step;
}

export class DevicePool {
  private readonly free = new Map<number, number[]>();
  private readonly live = new Map<number, number>();
  private inUse = 0;
  private cached = 0;
  private allocs = 0;

  constructor(private readonly raw: RawAllocator) {}

  /** A block of at least `bytes`; 0 bytes gives the null pointer (empty tensors own nothing). */
  acquire(bytes: number): number {
    const size = sizeClass(bytes);
    if (size === 0) return 0;
    const list = this.free.get(size);
    let ptr = list?.pop();
    if (ptr !== undefined) {
      this.cached -= size;
    } else {
      ptr = this.raw.alloc(size);
      if (ptr === 0) {
        this.trim();
        ptr = this.raw.alloc(size);
        if (ptr === 0) throw new Error(`cuda: out of device memory allocating ${size} bytes (${this.inUse} bytes in use by live tensors)`);
      }
      this.allocs++;
    }
    this.live.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  release(ptr: number): void {
    if (ptr === 0) return;
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`cuda pool: release of unknown block 0x${ptr.toString(16)}`);
    this.live.delete(ptr);
    this.inUse -= size;
    this.cached += size;
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(ptr);
  }

  /** Returns every cached block to the device. */
  trim(): void {
    for (const list of this.free.values()) for (const p of list) this.raw.free(p);
    this.free.clear();
    this.cached = 0;
  }

  stats(): PoolStats {
    return { inUseBytes: this.inUse, cachedBytes: this.cached, liveBlocks: this.live.size, deviceAllocs: this.allocs };
  }
}
