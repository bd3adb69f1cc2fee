import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
await tf.setBackend(process.argv[2] ?? 'cpu');
const variant = process.argv[3] ?? 'fused';
const a = tf.randomUniform([28 * 28 * 256], -1, 1, 'float32', 1), b = tf.randomUniform([28 * 28 * 256], -1, 1, 'float32', 2);
const { registerFusebenchKernels } = await import('/work/main/kernels/registry.ts');
await registerFusebenchKernels('cpu');
const calls = Number(process.argv[4] ?? 50);
for (let i = 0; i < calls; i++) {
  const out = variant === 'fused' ? tf.engine().runKernel('FusebenchAddRelu', { a, b }, {}) as tf.Tensor : tf.relu(tf.add(a, b));
  out.dispose();
}
