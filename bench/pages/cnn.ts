/**
 * Page script for bench/benches/cnn-train.ts: the paper's initial poster CNN trained with Adam on
 * seeded random 148×100×3 "posters" (throughput does not depend on pixel values), on a named
 * backend of $lib/platform (which registers the wasm training kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { requestWasmThreads, useBackend, type BackendName } from '$lib/platform';

// `?threads=n` fixes the wasm thread count of this page (bench/benches/threads.ts); default auto.
const threadsParam = new URLSearchParams(location.search).get('threads');
if (threadsParam) requestWasmThreads(Number(threadsParam));

const [HEIGHT, WIDTH, GENRES, BATCH] = [148, 100, 7, 16];

/** conv 32 3×3 relu → maxpool 3 → conv 32 → maxpool 2 → conv 64 → maxpool 2 → dense 64 → dense 7 sigmoid. */
function paperInitialCnn(): tf.Sequential {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: [HEIGHT, WIDTH, 3],
      filters: 32,
      kernelSize: 3,
      activation: 'relu',
    }),
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 3 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  m.add(tf.layers.dense({ units: GENRES, activation: 'sigmoid' }));
  m.compile({ optimizer: tf.train.adam(), loss: 'binaryCrossentropy' });
  return m;
}

export interface CnnTrainResult {
  backend: string;
  steps: number;
  msPerStep: number;
  postersPerSecond: number;
  firstLoss: number;
  lastLoss: number;
}

/** Warm-up steps (shader compilation, operator packing) are run but not timed. */
async function runCnnTrain(
  backend: BackendName,
  warmup: number,
  steps: number,
): Promise<CnnTrainResult> {
  await useBackend(backend);
  const model = paperInitialCnn();
  const x = tf.randomUniform([BATCH, HEIGHT, WIDTH, 3], 0, 1, 'float32', 1);
  const y = tf.cast(
    tf.greater(tf.randomUniform([BATCH, GENRES], 0, 1, 'float32', 2), 0.7),
    'float32',
  );
  const losses: number[] = [];
  // trainOnBatch resolves after the loss is read back, so each step is complete when it returns.
  for (let i = 0; i < warmup; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  const msPerStep = (performance.now() - t0) / steps;
  model.dispose();
  tf.dispose([x, y]);
  return {
    backend: tf.getBackend(),
    steps,
    msPerStep,
    postersPerSecond: (BATCH * 1000) / msPerStep,
    firstLoss: losses[0] ?? NaN,
    lastLoss: losses.at(-1) ?? NaN,
  };
}

(window as unknown as { runCnnTrain: typeof runCnnTrain }).runCnnTrain = runCnnTrain;
document.body.dataset.ready = 'true';
