import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../features/random.ts';
import { useBackend, type BackendName } from '../../platform/index.ts';
import { NO_AUGMENT } from '../../vision/augment.ts';
import { posterLoss } from './losses.ts';
import { TRAIN_DEFAULTS, trainModel } from './trainer.ts';

const [H, W, C, LABELS, ROWS] = [32, 24, 3, 7, 32];

/**
 * Seeded images: uniform noise in [0, 0.5] plus, for each label that is on (p = 0.4), a fixed
 * random pattern of that label at amplitude 0.5: every label is linearly separable from pixels.
 */
function dataset() {
  const rng = mulberry32(7);
  const size = H * W * C;
  const patterns = Array.from({ length: LABELS }, () =>
    Float32Array.from({ length: size }, () => (rng() < 0.5 ? 0.5 : 0)),
  );
  const x = new Float32Array(ROWS * size);
  const y = new Uint8Array(ROWS * LABELS);
  for (let r = 0; r < ROWS; r++) {
    for (let i = 0; i < size; i++) x[r * size + i] = 0.5 * rng();
    for (let c = 0; c < LABELS; c++) {
      if (rng() >= 0.4) continue;
      y[r * LABELS + c] = 1;
      for (let i = 0; i < size; i++) x[r * size + i]! += patterns[c]![i]!;
    }
  }
  return { x, y };
}

/** conv 8 (3×3, ReLU) → max-pool 2 → dense 7 sigmoid, seeded. */
function smallConvNet(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [H, W, C],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: LABELS, activation: 'sigmoid', kernelInitializer: init(2) }),
    ],
  });
}

/** Binary cross-entropy of the model on all rows, read with `await data()` (dataSync gives zeros on webgpu here). */
async function lossOn(model: tf.LayersModel, x: Float32Array, y: Uint8Array): Promise<number> {
  const l = tf.tidy(() =>
    posterLoss(
      'binary',
      tf.tensor2d(Float32Array.from(y), [ROWS, LABELS]),
      model.predict(tf.tensor4d(x, [ROWS, H, W, C])) as tf.Tensor2D,
    ),
  );
  const v = (await l.data())[0]!;
  l.dispose();
  return v;
}

// 4 epochs × 2 batches of 16 = 8 Adam steps at lr 0.01 through the studio's own loop
// (trainer.ts). Measured here (Chromium, tfjs 4.22): 0.7995 → 0.5603 on wasm and webgpu, → 0.5703
// on webgl (ratios 0.70–0.71), in 0.1 s, 2 s and 5 s. 0.85× the first loss leaves room for the
// backends' float differences while failing a net whose gradients are wrong or zero (the loss
// would stay put or rise).
const EPOCHS = 4;
const MARGIN = 0.85;

describe('a small conv net trains through trainModel on every browser backend', () => {
  for (const backend of ['wasm', 'webgl', 'webgpu'] as BackendName[]) {
    it(`${backend}: loss after ${EPOCHS * 2} steps < ${MARGIN} × the first loss, no tensors left`, async () => {
      await useBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const { x, y } = dataset();
      const model = smallConvNet();
      const baseline = tf.memory().numTensors;
      const first = await lossOn(model, x, y);
      const t0 = performance.now();
      const { history } = await trainModel(
        model,
        { data: x, rowShape: [H, W, C], rows: ROWS },
        { rows: ROWS, cols: LABELS, data: y },
        {
          ...TRAIN_DEFAULTS,
          epochs: EPOCHS,
          batchSize: 16,
          learningRate: 0.01,
          validationFraction: 0,
          augment: NO_AUGMENT,
          seed: 3,
        },
      );
      const last = await lossOn(model, x, y);
      console.log(
        `${backend}: loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${(performance.now() - t0).toFixed(0)} ms`,
      );
      expect(history).toHaveLength(EPOCHS);
      expect(Number.isFinite(first) && first > 0.3).toBe(true);
      expect(last).toBeLessThan(MARGIN * first);
      expect(tf.memory().numTensors).toBe(baseline);
      model.dispose();
    });
  }
});
