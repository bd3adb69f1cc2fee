/**
 * The smoke check that ends `fusebench setup tensorflow`: in a fresh Node process (the library is ~850 MB and
 * loads once per process), the package registers the `tensorflow` backend, a matMul gives the known answer, and
 * a real `_FusedMatMul` with fused_ops [BiasAdd, Relu] runs through the patched binding.
 */
import { SetupError, tail } from './errors.ts';
import { run } from './toolchain.ts';

export interface SmokeResult {
  readonly tensorflowVersion: string;
  readonly usingGpu: boolean;
  readonly backend: string;
}

/** CommonJS, run with `node -e` in the project root: tfjs-node is a CommonJS package. */
const SCRIPT = String.raw`
const tf = require(process.argv[1]);
const be = tf.backend();
const B = be.binding;
const eq = (got, want) => JSON.stringify(got) === JSON.stringify(want);
const a = tf.tensor2d([[1, 2], [3, 4]]);
const b = tf.tensor2d([[1, -2], [3, -4]]);
const mm = tf.matMul(a, b).arraySync();
if (!eq(mm, [[7, -10], [15, -22]])) throw new Error('matMul gave ' + JSON.stringify(mm));
const attrs = [
  { name: 'T', type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
  { name: 'fused_ops', type: B.TF_ATTR_STRING, value: ['BiasAdd', 'Relu'] },
  { name: 'num_args', type: B.TF_ATTR_INT, value: 1 },
];
const fused = be.executeSingleOutput('_FusedMatMul', attrs, [a, b, tf.tensor1d([1, 1])]).arraySync();
if (!eq(fused, [[8, 0], [16, 0]])) throw new Error('_FusedMatMul [BiasAdd, Relu] gave ' + JSON.stringify(fused));
process.stdout.write(JSON.stringify({ tensorflowVersion: B.TF_Version, usingGpu: be.isUsingGpuDevice, backend: tf.getBackend() }));
`;

export function smokeCheck(projectRoot: string, pkg: string): SmokeResult {
  const r = run(process.execPath, ['-e', SCRIPT, pkg], { cwd: projectRoot, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeoutMs: 300_000 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (!r.ok || !last.startsWith('{')) throw new SetupError('smoke', `${pkg} does not load or compute correctly:\n${tail(r.output)}`);
  const res = JSON.parse(last) as SmokeResult;
  if (res.backend !== 'tensorflow') throw new SetupError('smoke', `${pkg} loaded but the active backend is ${res.backend}, not tensorflow`);
  return res;
}
