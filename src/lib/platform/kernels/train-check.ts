/**
 * A small conv model (conv → max-pool → dense, sigmoid, binary cross-entropy) trained with
 * model.fit on a named backend, for the training tests in Node and Chromium. Weights and data are
 * seeded, so the cpu and wasm runs start from identical numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, values } from './parity-cases.ts';

const [N, H, W, C] = [24, 10, 10, 3];

/** Images whose label says whether the top half is brighter than the bottom half (learnable). */
function dataset(): { x: Float32Array; y: Float32Array } {
  const x = values(N * H * W * C, 31);
  const r = seeded(32);
  const y = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    y[n] = r() < 0.5 ? 1 : 0;
    const shift = y[n] ? 0.5 : -0.5;
    for (let i = 0; i < (H / 2) * W * C; i++) x[n * H * W * C + i]! += shift;
  }
  return { x, y };
}

function model(): tf.Sequential {
  const m = tf.sequential();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  m.add(
    tf.layers.conv2d({
      inputShape: [H, W, C],
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(2) }));
  // Plain SGD: one step is exactly w − lr·∇w, so the weight change compares the gradients.
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'binaryCrossentropy' });
  return m;
}

export interface TrainResult {
  /** Loss per epoch (one full batch of 24 per epoch). */
  losses: number[];
  /** All weights after the first step minus before, flattened in layer order. */
  firstUpdate: Float32Array;
}

/** Builds the model on the current backend, fits `epochs` full-batch steps, and reports. */
export async function trainSmallConvNet(epochs: number): Promise<TrainResult> {
  const { x, y } = dataset();
  const xs = tf.tensor4d(x, [N, H, W, C]);
  const ys = tf.tensor2d(y, [N, 1]);
  const m = model();
  const flat = async () =>
    Float32Array.from(
      (await Promise.all(m.getWeights().map((w) => w.data()))).flatMap((d) => [...d]),
    );
  const before = await flat();
  const losses: number[] = [];
  let firstUpdate = new Float32Array();
  for (let e = 0; e < epochs; e++) {
    const h = await m.fit(xs, ys, { epochs: 1, batchSize: N, shuffle: false, verbose: 0 });
    losses.push(h.history.loss?.[0] as number);
    if (e === 0) firstUpdate = (await flat()).map((v, i) => v - before[i]!);
  }
  m.dispose();
  tf.dispose([xs, ys]);
  return { losses, firstUpdate };
}
