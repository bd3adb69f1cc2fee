/** Thin typed wrapper over NVRTC. Compiles CUDA C++ straight to a cubin for the device's architecture. */
import koffi from 'koffi';
import type { KoffiLib } from './load.ts';
import { CudaCallError } from './errors.ts';

koffi.pointer('nvrtcProgram', koffi.opaque());

type Fn = (...args: unknown[]) => unknown;

export class Nvrtc {
  private readonly f: Record<string, Fn> = {};

  constructor(lib: KoffiLib) {
    const decl = (proto: string): void => {
      const name = /(\w+)\s*\(/.exec(proto)![1]!;
      this.f[name] = lib.func(proto) as Fn;
    };
    decl('const char *nvrtcGetErrorString(int result)');
    decl('int nvrtcVersion(_Out_ int *major, _Out_ int *minor)');
    decl('int nvrtcCreateProgram(_Out_ nvrtcProgram *prog, const char *src, const char *name, int numHeaders, void *headers, void *includeNames)');
    decl('int nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char **options)');
    decl('int nvrtcGetProgramLogSize(nvrtcProgram prog, _Out_ uint64_t *size)');
    decl('int nvrtcGetProgramLog(nvrtcProgram prog, void *log)');
    decl('int nvrtcGetCUBINSize(nvrtcProgram prog, _Out_ uint64_t *size)');
    decl('int nvrtcGetCUBIN(nvrtcProgram prog, void *cubin)');
    decl('int nvrtcDestroyProgram(_Inout_ nvrtcProgram *prog)');
  }

  private check(call: string, code: number, detail?: string): void {
    if (code === 0) return;
    const text = (this.f.nvrtcGetErrorString!(code) as string | null) ?? `NVRTC_ERROR_${code}`;
    throw new CudaCallError('nvrtc', call, code, text, '', detail);
  }

  version(): string {
    const major: [number] = [0];
    const minor: [number] = [0];
    this.check('nvrtcVersion', this.f.nvrtcVersion!(major, minor) as number);
    return `${major[0]}.${minor[0]}`;
  }

  /** Compiles `source` to a cubin; a compile error throws with NVRTC's log and the source's file name. */
  compile(source: string, fileName: string, options: readonly string[]): Uint8Array {
    const prog: [unknown] = [null];
    this.check('nvrtcCreateProgram', this.f.nvrtcCreateProgram!(prog, source, fileName, 0, null, null) as number);
    try {
      const code = this.f.nvrtcCompileProgram!(prog[0], options.length, [...options]) as number;
      const log = this.log(prog[0]);
      this.check(`nvrtcCompileProgram(${fileName}, ${options.join(' ')})`, code, log);
      const size: [number | bigint] = [0];
      this.check('nvrtcGetCUBINSize', this.f.nvrtcGetCUBINSize!(prog[0], size) as number);
      const cubin = new Uint8Array(Number(size[0]));
      this.check('nvrtcGetCUBIN', this.f.nvrtcGetCUBIN!(prog[0], cubin) as number);
      return cubin;
    } finally {
      this.f.nvrtcDestroyProgram!(prog);
    }
  }

  private log(prog: unknown): string {
    const size: [number | bigint] = [0];
    if ((this.f.nvrtcGetProgramLogSize!(prog, size) as number) !== 0) return '';
    const buf = Buffer.alloc(Math.max(1, Number(size[0])));
    if ((this.f.nvrtcGetProgramLog!(prog, buf) as number) !== 0) return '';
    const end = buf.indexOf(0);
    return buf.toString('utf8', 0, end < 0 ? buf.length : end).trim();
  }
}
