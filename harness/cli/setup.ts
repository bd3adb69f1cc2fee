/**
 * `fusebench setup tensorflow [--wheel PATH | --pip-spec SPEC] [--gpu] [--force]`
 * Exit 0: the backend is installed and its smoke check passed. 1: a named cause (no wheel, no compiler, no Node
 * headers, a C API symbol the binding needs and the library lacks, a failed build or smoke check). 2: bad flags.
 */
import { parseFlags } from './args.ts';
import { UsageError } from '../core/errors.ts';

const USAGE = 'usage: fusebench setup tensorflow [--wheel PATH | --pip-spec tensorflow-cpu==X] [--gpu] [--force]';
const TARGETS = ['tensorflow'] as const;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    wheel: { type: 'string' }, 'pip-spec': { type: 'string' }, gpu: { type: 'boolean' }, force: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError(`${USAGE}\n(got ${positionals.length} targets)`);
  if (!(TARGETS as readonly string[]).includes(positionals[0])) throw new UsageError(`unknown target "${positionals[0]}"; targets: ${TARGETS.join(', ')}\n${USAGE}`);
  const wheel = typeof values.wheel === 'string' ? values.wheel : undefined;
  const pipSpec = typeof values['pip-spec'] === 'string' ? values['pip-spec'] : undefined;
  if (wheel !== undefined && pipSpec !== undefined) throw new UsageError(`--wheel and --pip-spec exclude each other: give a wheel file or a pip requirement\n${USAGE}`);
  if (wheel === '') throw new UsageError('--wheel needs a path');
  if (pipSpec !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*([=<>!~]=?.+)?$/.test(pipSpec)) {
    throw new UsageError(`--pip-spec "${pipSpec}" is not a pip requirement such as tensorflow-cpu==2.21.0`);
  }
  const { setupTensorflow } = await import('../setup/tensorflow.ts');
  try {
    const r = await setupTensorflow({
      gpu: values.gpu === true, force: values.force === true,
      ...(wheel !== undefined ? { wheel } : {}), ...(pipSpec !== undefined ? { pipSpec } : {}),
    });
    console.log(`fusebench setup tensorflow: ${r.package} on TensorFlow ${r.tensorflowVersion} ready in ${r.seconds.toFixed(1)} s; \`npx fusebench backends\` lists it`);
    return 0;
  } catch (e) {
    if (e instanceof Error && e.name === 'SetupError') {
      console.error(`fusebench setup tensorflow: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
