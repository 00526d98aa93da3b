import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../features/random.ts';
import { useBackend } from '../../platform/node.ts';
import { POSTER_AUGMENT } from '../../vision/augment.ts';
import {
  predictRows,
  TRAIN_DEFAULTS,
  trainModel,
  type StreamedRows,
  type TrainOptions,
} from './trainer.ts';

beforeAll(async () => {
  await useBackend('cpu');
});

const ROW_SHAPE = [8, 6, 3];

/** 80 seeded random 8×6×3 images; label c is on when channel c's mean is positive. */
function images(rows: number, seed: number) {
  const rng = mulberry32(seed);
  const size = 8 * 6 * 3;
  const data = new Float32Array(rows * size).map(() => 2 * rng() - 1);
  const y = new Uint8Array(rows * 3);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let p = c; p < size; p += 3) s += data[r * size + p]!;
      y[r * 3 + c] = s > 0 ? 1 : 0;
    }
  return { x: { data, rowShape: ROW_SHAPE, rows }, y: { rows, cols: 3, data: y } };
}

function tinyCnn(): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: ROW_SHAPE,
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  m.add(tf.layers.flatten());
  m.add(
    tf.layers.dense({
      units: 3,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  return m;
}

// 80 rows, 10% validation → 72 training rows → 9 batches of 8 per epoch.
const OPTIONS: TrainOptions = {
  ...TRAIN_DEFAULTS,
  epochs: 3,
  batchSize: 8,
  augment: POSTER_AUGMENT,
  seed: 3,
};

describe('trainModel cancellation', () => {
  it('stops within one batch of the abort and leaves no tensors behind', async () => {
    const { x, y } = images(80, 1);
    const model = tinyCnn();
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    let batches = 0;
    const run = trainModel(model, x, y, OPTIONS, {
      signal: controller.signal,
      onProgress: () => {
        if (++batches === 2) controller.abort(new Error('cancelled'));
      },
    });
    await expect(run).rejects.toThrow('cancelled');
    // Aborted after batch 2 of epoch 1's 9: no further batch ran (before per-batch checks, all 9 did).
    expect(batches).toBe(2);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('stops on an abort from outside (a timer) and leaves no tensors behind', async () => {
    const { x, y } = images(80, 2);
    const model = tinyCnn();
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    let batches = 0;
    const run = trainModel(
      model,
      x,
      y,
      { ...OPTIONS, epochs: 50 },
      {
        signal: controller.signal,
        onProgress: () => {
          batches++;
        },
      },
    );
    setTimeout(() => controller.abort(new Error('timer')), 50);
    await expect(run).rejects.toThrow('timer');
    // 50 epochs × 9 batches would be 450; the abort lands long before.
    expect(batches).toBeLessThan(450);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('leaves no tensors behind after a complete run with best weights restored', async () => {
    const { x, y } = images(80, 3);
    const model = tinyCnn();
    const baseline = tf.memory().numTensors;
    const { history, bestEpoch } = await trainModel(model, x, y, OPTIONS);
    expect(history).toHaveLength(3);
    expect(bestEpoch).toBeGreaterThanOrEqual(1);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });
});

describe('trainModel on streamed rows', () => {
  it('reads a batch at a time and trains exactly as on rows held in memory', async () => {
    // 200 rows, 10 % validation (20 rows), batch 8: no read may ask for more than 64 rows.
    const { x, y } = images(200, 4);
    const size = 8 * 6 * 3;
    const reads: number[] = [];
    const streamed: StreamedRows = {
      rows: x.rows,
      rowShape: ROW_SHAPE,
      take: async (idx) => {
        reads.push(idx.length);
        const out = new Float32Array(idx.length * size);
        idx.forEach((r, i) => out.set(x.data.subarray(r * size, (r + 1) * size), i * size));
        return tf.tensor(out, [idx.length, ...ROW_SHAPE]);
      },
    };
    const o = { ...OPTIONS, epochs: 2, augment: TRAIN_DEFAULTS.augment };
    const baseline = tf.memory().numTensors;
    const inMemory = tinyCnn();
    const fromStream = tinyCnn();
    const a = await trainModel(inMemory, x, y, o);
    const b = await trainModel(fromStream, streamed, y, o);
    // Per epoch: 180 fitted rows in batches of 8 (22 × 8 + 4) and the 20 validation rows in one read.
    expect(reads).toEqual(Array.from({ length: 2 }, () => [...Array(22).fill(8), 4, 20]).flat());
    // Same seed, same batches, same arithmetic: the same curves and predictions (cpu backend, 1e-6).
    for (const [i, l] of a.history.entries()) {
      expect(b.history[i]!.loss).toBeCloseTo(l.loss, 6);
      expect(b.history[i]!.valLoss).toBeCloseTo(l.valLoss, 6);
      expect(b.history[i]!.valAccuracy).toBeCloseTo(l.valAccuracy, 6);
    }
    const pa = await predictRows(inMemory, x, 32);
    reads.length = 0;
    const pb = await predictRows(fromStream, streamed, 32);
    expect(reads).toEqual([...Array(6).fill(32), 8]);
    for (const [i, p] of pa.entries()) expect(pb[i]!).toBeCloseTo(p, 6);
    inMemory.dispose();
    fromStream.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
