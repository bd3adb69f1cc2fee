/**
 * Cold-cache runs on the CPU backends: their kernels read through the CPU's caches, so evicting means writing a
 * host buffer of at least twice the last-level cache (read from sysfs; 64 MiB where sysfs does not say).
 */
import { readdirSync, readFileSync } from 'node:fs';

const FALLBACK_BYTES = 64 << 20;

/** The largest cache of CPU 0, in bytes, from /sys/devices/system/cpu/cpu0/cache/index*\/size ("32768K"). */
export function lastLevelCacheBytes(): number | undefined {
  const dir = '/sys/devices/system/cpu/cpu0/cache';
  try {
    let best = 0;
    for (const entry of readdirSync(dir)) {
      if (!entry.startsWith('index')) continue;
      const m = /^(\d+)([KMG]?)/.exec(readFileSync(`${dir}/${entry}/size`, 'utf8').trim());
      if (!m) continue;
      const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G'];
      best = Math.max(best, Number(m[1]) * scale);
    }
    return best > 0 ? best : undefined;
  } catch {
    return undefined;
  }
}

let scratch: Int32Array | undefined;

/** Writes (and reads back one word of) a buffer of 2 × the last-level cache; returns how, for the report. */
export function evictHostCaches(): void {
  scratch ??= new Int32Array(hostEvictionBytes() / 4);
  const stamp = (scratch[0]! + 1) | 0;
  // One write per 64-byte line is enough to claim every line.
  for (let i = 0; i < scratch.length; i += 16) scratch[i] = stamp;
}

export function hostEvictionBytes(): number {
  return 2 * (lastLevelCacheBytes() ?? FALLBACK_BYTES / 2);
}

export function hostEvictionMethod(): string {
  const llc = lastLevelCacheBytes();
  return `a ${(hostEvictionBytes() / 2 ** 20).toFixed(0)} MiB host buffer written before each sample (2 × ${llc ? `the ${(llc / 2 ** 20).toFixed(0)} MiB last-level cache` : 'an assumed 32 MiB last-level cache'})`;
}
