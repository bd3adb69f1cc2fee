/**
 * The deterministic-gate experiment (docs/gate.md, "Counting instructions instead of time"): Add + ReLU on
 * tfjs-cpu, unfused or fused, N calls, for valgrind's callgrind to count instructions. The per-call count is the
 * difference between runs of N₂ and N₁ calls (process start and module loading cancel).
 *
 *   valgrind --tool=callgrind node --single-threaded --import tsx bench/callgrind-addrelu.ts cpu fused 150
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
await tf.setBackend(process.argv[2] ?? 'cpu');
const variant = process.argv[3] ?? 'fused';
const a = tf.randomUniform([28 * 28 * 256], -1, 1, 'float32', 1), b = tf.randomUniform([28 * 28 * 256], -1, 1, 'float32', 2);
const { registerFusebenchKernels } = await import('../kernels/registry.ts');
await registerFusebenchKernels('cpu');
const calls = Number(process.argv[4] ?? 50);
for (let i = 0; i < calls; i++) {
  const out = variant === 'fused' ? tf.engine().runKernel('FusebenchAddRelu', { a, b }, {}) as tf.Tensor : tf.relu(tf.add(a, b));
  out.dispose();
}
