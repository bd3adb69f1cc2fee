/**
 * `fusebench setup tensorflow`: flags (exit 2), and each named cause of failure found before anything is
 * installed: no wheel, not a TensorFlow wheel, no compiler, no Node headers, and a C API symbol the binding needs
 * that the library does not export (a real nm -D on two shared objects built here). The binding patch is pure.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.ts';
import { BINDING_PATCH_ID, BindingPatchError, isPatched, patchBindingSource } from '../../harness/setup/binding-patch.ts';
import { SetupError } from '../../harness/setup/errors.ts';
import { checkSymbols, missingSymbols, parseNm } from '../../harness/setup/symbols.ts';
import { findCompiler, findNodeHeaders, findPython, run } from '../../harness/setup/toolchain.ts';
import { extractWheel } from '../../harness/setup/wheel.ts';
import { defaultPipSpec, packageFor } from '../../harness/setup/tensorflow.ts';
import { captured } from '../gate/helpers.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'fb-setup-'));
const hasCompiler = run('c++', ['--version']).ok && run('nm', ['--version']).ok;
const hasPython = run('python3', ['--version']).ok;

describe('fusebench setup: flags', () => {
  it.each([
    [['setup'], /usage: fusebench setup tensorflow/],
    [['setup', 'pytorch'], /unknown target "pytorch"/],
    [['setup', 'tensorflow', '--bogus'], /--bogus/],
    [['setup', 'tensorflow', '--wheel', 'a.whl', '--pip-spec', 'tensorflow-cpu==2.21.0'], /--wheel and --pip-spec exclude each other/],
    [['setup', 'tensorflow', '--pip-spec', 'tensorflow cpu'], /--pip-spec "tensorflow cpu" is not a pip requirement/],
    [['setup', 'tensorflow', '--wheel'], /--wheel/],
  ])('%j exits 2 naming the flag', async (argv, message) => {
    const r = await captured(() => main(argv));
    expect(r.value).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a wheel that does not exist is cause no-wheel, exit 1, before anything is installed', async () => {
    const r = await captured(() => main(['setup', 'tensorflow', '--wheel', '/nonexistent/tensorflow_cpu-2.21.0.whl']));
    expect(r.value).toBe(1);
    expect(r.err).toMatch(/no-wheel: --wheel \/nonexistent\/tensorflow_cpu-2\.21\.0\.whl: no such file/);
  });

  it('picks tfjs-node-gpu and a CUDA build of TensorFlow for --gpu', () => {
    expect(packageFor(false)).toBe('@tensorflow/tfjs-node');
    expect(packageFor(true)).toBe('@tensorflow/tfjs-node-gpu');
    expect(defaultPipSpec(false)).toBe('tensorflow-cpu==2.21.0');
    expect(defaultPipSpec(true)).toBe('tensorflow==2.21.0');
  });
});

describe('fusebench setup: named causes', () => {
  it('no compiler: nothing on an empty PATH', () => {
    expect(() => findCompiler({ PATH: '' })).toThrow(SetupError);
    expect(() => findCompiler({ PATH: '' })).toThrow(/^no-compiler: no C\+\+ compiler: tried c\+\+, g\+\+, clang\+\+/);
  });

  it('no Node headers: names every folder it looked in', () => {
    const dirs = [tmp(), tmp()];
    expect(() => findNodeHeaders(dirs)).toThrow(new RegExp(`^no-node-headers: no Node v[\\d.]+ headers .* in ${dirs[0]}, ${dirs[1]}`));
  });

  it.runIf(hasPython)('not a TensorFlow wheel: names the library it lacks', () => {
    const dir = tmp();
    const wheel = join(dir, 'other-1.0-py3-none-any.whl');
    run('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("other-1.0.dist-info/METADATA", "Name: other\\nVersion: 1.0\\n"); z.close()', wheel]);
    expect(() => extractWheel(findPython(), wheel, join(dir, 'out'))).toThrow(/^no-wheel: .*other-1\.0-py3-none-any\.whl \(other 1\.0\) has no tensorflow\/libtensorflow_cc\.so\.2, tensorflow\/libtensorflow_framework\.so\.2/);
  });

  it.runIf(hasCompiler)('missing symbol: nm -D finds the C API function an addon imports and no library exports', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'lib.c'), 'void TF_Present(void) {}\n');
    writeFileSync(join(dir, 'addon.c'), 'void TF_Present(void); void TFE_Absent(void);\nvoid use(void) { TF_Present(); TFE_Absent(); }\n');
    expect(run('c++', ['-x', 'c', '-shared', '-fPIC', '-o', join(dir, 'libtf.so'), join(dir, 'lib.c')]).ok).toBe(true);
    expect(run('c++', ['-x', 'c', '-shared', '-fPIC', '-o', join(dir, 'addon.node'), join(dir, 'addon.c')]).ok).toBe(true);
    await expect(checkSymbols('nm', join(dir, 'addon.node'), [join(dir, 'libtf.so')])).rejects.toThrow(/^missing-symbol: the binding calls TFE_Absent, which .*libtf\.so do not export \(nm -D\)/);
    writeFileSync(join(dir, 'lib.c'), 'void TF_Present(void) {}\nvoid TFE_Absent(void) {}\n');
    expect(run('c++', ['-x', 'c', '-shared', '-fPIC', '-o', join(dir, 'libtf.so'), join(dir, 'lib.c')]).ok).toBe(true);
    await expect(checkSymbols('nm', join(dir, 'addon.node'), [join(dir, 'libtf.so')])).resolves.toEqual({ imported: 2 });
  });

  it('compares symbols without their version tags and ignores everything but TF_ and TFE_', () => {
    expect(parseNm('0000000001d49ad90 T TFE_OpSetAttrStringList@@tensorflow\n                 U TF_NewStatus@tensorflow\n U memcpy@GLIBC_2.14\n'))
      .toEqual(['TFE_OpSetAttrStringList', 'TF_NewStatus', 'memcpy']);
    expect(missingSymbols(['TF_NewStatus', 'TFE_Execute', 'memcpy', 'TFE_Execute'], ['TF_NewStatus'])).toEqual(['TFE_Execute']);
  });
});

describe('the binding patch (list attrs)', () => {
  const SOURCE = [
    '#include <set>', '#include <string>', 'void AssignOpAttr() {', '  switch (tf_attr_type) {',
    '    case TF_ATTR_STRING: {', '      // one string', '      break;', '    }',
    '    case TF_ATTR_TYPE: {', '      // one type', '      break;', '    }', '  }', '}', '',
  ].join('\n');

  it('adds an array branch calling TFE_OpSetAttrStringList and TFE_OpSetAttrTypeList before the scalar paths', () => {
    const out = patchBindingSource(SOURCE);
    expect(isPatched(out)).toBe(true);
    expect(out).toContain(BINDING_PATCH_ID);
    expect(out).toMatch(/#include <string>\n#include <vector>\n/);
    expect(out.indexOf('TFE_OpSetAttrStringList')).toBeLessThan(out.indexOf('// one string'));
    expect(out.indexOf('TFE_OpSetAttrTypeList')).toBeLessThan(out.indexOf('// one type'));
    expect(out.indexOf('TFE_OpSetAttrStringList')).toBeGreaterThan(out.indexOf('case TF_ATTR_STRING'));
    expect(out.indexOf('TFE_OpSetAttrTypeList')).toBeGreaterThan(out.indexOf('case TF_ATTR_TYPE'));
  });

  it('is idempotent', () => {
    const once = patchBindingSource(SOURCE);
    expect(patchBindingSource(once)).toBe(once);
  });

  it('refuses a binding it does not recognise, naming the file', () => {
    expect(() => patchBindingSource('#include <string>\nint x;\n', 'x/tfjs_backend.cc')).toThrow(BindingPatchError);
    expect(() => patchBindingSource('#include <string>\nint x;\n', 'x/tfjs_backend.cc')).toThrow(/^x\/tfjs_backend\.cc: expected exactly one "case TF_ATTR_STRING: \{"/);
  });
});
