/**
 * A conv + matmul forward and backward pass big enough for XNNPACK to split across threads, for
 * the browser test that compares threaded wasm with single-threaded wasm (threads.browser.test.ts).
 * Inputs are seeded, so every realm computes from identical numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { values } from './parity-cases.ts';

// 4×32×32×16 images, 3×3×16→32 kernel, 192² matmul: each output has thousands of tiles to share.
const X: [number, number, number, number] = [4, 32, 32, 16];
const F: [number, number, number, number] = [3, 3, 16, 32];
const M = 192;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Named outputs: conv forward, ∂/∂x, ∂/∂filter (our wasm kernels), matmul forward and both grads. */
export async function convMatmulPass(): Promise<Record<string, Float32Array>> {
  const x = tf.tensor4d(values(size(X), 11), X);
  const f = tf.tensor4d(values(size(F), 12), F);
  const a = tf.tensor2d(values(M * M, 13), [M, M]);
  const b = tf.tensor2d(values(M * M, 14), [M, M]);
  // Square the outputs before summing so the upstream gradient is not all ones.
  const convGrads = tf.grads((xx, ff) =>
    tf
      .conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 1, 'same')
      .square()
      .sum(),
  );
  const mmGrads = tf.grads((aa, bb) =>
    tf
      .matMul(aa as tf.Tensor2D, bb as tf.Tensor2D)
      .square()
      .sum(),
  );
  const [convDx, convDf] = convGrads([x, f]);
  const [matmulDa, matmulDb] = mmGrads([a, b]);
  const outputs: Record<string, tf.Tensor | undefined> = {
    conv: tf.conv2d(x, f, 1, 'same'),
    convDx,
    convDf,
    matmul: tf.matMul(a, b),
    matmulDa,
    matmulDb,
  };
  const result: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(outputs)) {
    if (!t) throw new Error(`no ${name}`);
    result[name] = Float32Array.from(await t.data());
  }
  tf.dispose([x, f, a, b, ...Object.values(outputs).filter((t) => t !== undefined)]);
  return result;
}
