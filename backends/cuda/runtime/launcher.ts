/**
 * Packs kernel arguments into one native block and launches. cuLaunchKernel copies the arguments at
 * launch time, so the block is reused by every launch.
 */
import koffi from 'koffi';
import type { Driver, Handle } from '../ffi/driver.ts';

export type KernelArg =
  | { readonly t: 'ptr'; readonly v: number }
  | { readonly t: 'i32'; readonly v: number }
  | { readonly t: 'u32'; readonly v: number }
  | { readonly t: 'u64'; readonly v: number }
  | { readonly t: 'f32'; readonly v: number }
  /** A struct passed by value, as its bytes; `align` is its C alignment. */
  | { readonly t: 'struct'; readonly v: ArrayBufferView; readonly align: number };

export const arg = {
  ptr: (v: number): KernelArg => ({ t: 'ptr', v }),
  i32: (v: number): KernelArg => ({ t: 'i32', v }),
  u32: (v: number): KernelArg => ({ t: 'u32', v }),
  u64: (v: number): KernelArg => ({ t: 'u64', v }),
  f32: (v: number): KernelArg => ({ t: 'f32', v }),
  /** Index type U of a generated kernel: unsigned int or unsigned long long. */
  idx: (v: number, wide: boolean): KernelArg => (wide ? { t: 'u64', v } : { t: 'u32', v }),
  /** `struct Dims { U d[6]; }`. */
  dims: (values: readonly number[], wide: boolean): KernelArg => {
    const arr = wide ? new BigUint64Array(6) : new Uint32Array(6);
    values.forEach((x, i) => (wide ? ((arr as BigUint64Array)[i] = BigInt(x)) : ((arr as Uint32Array)[i] = x)));
    return { t: 'struct', v: arr, align: wide ? 8 : 4 };
  },
};

/** Each argument gets a fixed 64-byte slot, so the void*[] of slot addresses is written once. */
const SLOT = 64;
const MAX_ARGS = 64;
const ARG_BYTES = SLOT * MAX_ARGS;

export interface Kernel {
  readonly fn: Handle;
  /** The CUfunction's address, what the launch path passes. */
  readonly addr: number;
  readonly name: string;
}

export class Launcher {
  private readonly block: unknown;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly base: bigint;
  private readonly ptrs: unknown;
  private readonly ptrsAddr: number;
  private readonly ptrView: DataView;

  constructor(private readonly driver: Driver) {
    this.block = koffi.alloc('uint8_t', ARG_BYTES);
    const ab = koffi.view(this.block, ARG_BYTES);
    this.view = new DataView(ab);
    this.bytes = new Uint8Array(ab);
    this.base = koffi.address(this.block);
    this.ptrs = koffi.alloc('uint64_t', MAX_ARGS);
    this.ptrView = new DataView(koffi.view(this.ptrs, MAX_ARGS * 8));
    for (let i = 0; i < MAX_ARGS; i++) this.ptrView.setBigUint64(i * 8, this.base + BigInt(i * SLOT), true);
    this.ptrsAddr = Number(koffi.address(this.ptrs));
  }

  // ---- the allocation-free path: set argument slots, then launchSet (hot kernels use it) ----------------

  /** Argument `i` is a device pointer or 64-bit unsigned (two 32-bit halves: no BigInt per launch). */
  setU64(i: number, v: number): this {
    this.view.setUint32(i * SLOT, v % 4294967296, true);
    this.view.setUint32(i * SLOT + 4, Math.floor(v / 4294967296), true);
    return this;
  }
  setU32(i: number, v: number): this {
    this.view.setUint32(i * SLOT, v >>> 0, true);
    return this;
  }
  setI32(i: number, v: number): this {
    this.view.setInt32(i * SLOT, v, true);
    return this;
  }
  setF32(i: number, v: number): this {
    this.view.setFloat32(i * SLOT, v, true);
    return this;
  }
  /** `struct Dims { U d[6]; }` in slot i, from the values (no typed array per launch). */
  setDims(i: number, values: readonly number[], wide: boolean): this {
    const off = i * SLOT;
    for (let d = 0; d < 6; d++) {
      const x = d < values.length ? values[d]! : 0;
      if (wide) {
        this.view.setUint32(off + d * 8, x % 4294967296, true);
        this.view.setUint32(off + d * 8 + 4, Math.floor(x / 4294967296), true);
      } else this.view.setUint32(off + d * 4, x >>> 0, true);
    }
    return this;
  }
  /** Launches with the slots set since the last launch (1-D grid and block). */
  launchSet(k: Kernel, grid: number, block: number, smem = 0): void {
    if (grid === 0) return;
    this.driver.launch(k.addr, k.name, grid, 1, 1, block, 1, 1, smem, this.ptrsAddr);
  }

  launch(k: Kernel, grid: readonly [number, number?, number?], block: readonly [number, number?, number?], args: readonly KernelArg[], smem = 0): void {
    if (args.length > MAX_ARGS) throw new Error(`${k.name}: ${args.length} kernel arguments, at most ${MAX_ARGS}`);
    const v = this.view;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const off = i * SLOT;
      switch (a.t) {
        case 'ptr':
        case 'u64':
          // Two 32-bit halves: no BigInt allocation per launch.
          v.setUint32(off, a.v % 4294967296, true);
          v.setUint32(off + 4, Math.floor(a.v / 4294967296), true);
          break;
        case 'i32':
          v.setInt32(off, a.v, true);
          break;
        case 'u32':
          v.setUint32(off, a.v >>> 0, true);
          break;
        case 'f32':
          v.setFloat32(off, a.v, true);
          break;
        case 'struct': {
          if (a.v.byteLength > SLOT) throw new Error(`${k.name}: struct argument of ${a.v.byteLength} bytes exceeds ${SLOT}`);
          this.bytes.set(new Uint8Array(a.v.buffer, a.v.byteOffset, a.v.byteLength), off);
          break;
        }
      }
    }
    const gx = grid[0], gy = grid[1] ?? 1, gz = grid[2] ?? 1;
    if (gx === 0 || gy === 0 || gz === 0) return;
    this.driver.launch(k.addr, k.name, gx, gy, gz, block[0], block[1] ?? 1, block[2] ?? 1, smem, this.ptrsAddr);
  }
}
