/**
 * The training loop shared by the poster CNNs and fine-tuning: seeded shuffling, optional
 * augmentation per batch, Adam or RMSprop, early stopping on a validation part carved from the
 * rows given to fit (the caller's training split only; never its test split), best weights
 * restored, and per-epoch logs for live curves (loss, val loss, val accuracy per label).
 */
import * as tf from '@tensorflow/tfjs';
import { carveValidation, mulberry32, shuffleInPlace } from '../../features/random.ts';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import { augmentBatch, isIdentity, NO_AUGMENT, type AugmentOptions } from '../../vision/augment.ts';
import type { FitOptions } from '../types.ts';
import { yieldToEvents } from '../../core/yield.ts';
import { posterLoss, type PosterLoss } from './losses.ts';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'rmsprop';
  learningRate: number;
  loss: PosterLoss;
  /** Share of the fit's rows held out for early stopping (0 = no validation, no stopping). */
  validationFraction: number;
  /** Epochs without a better validation loss before stopping (0 = never stop early). */
  patience: number;
  augment: AugmentOptions;
  seed: number;
}

export const TRAIN_DEFAULTS: Readonly<TrainOptions> = {
  epochs: 20,
  batchSize: 16,
  optimizer: 'adam',
  learningRate: 1e-3,
  loss: 'binary',
  validationFraction: 0.1,
  patience: 5,
  augment: NO_AUGMENT,
  seed: 42,
};

/** One epoch's numbers (valLoss/valAccuracy NaN without a validation part). */
export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss: number;
  /** Label-wise accuracy at threshold 0.5 on the validation part (1 − Hamming loss). */
  valAccuracy: number;
  elapsedMs: number;
}

/** FitOptions plus a per-epoch callback for live curves. */
export interface PosterFitOptions extends FitOptions {
  onEpochEnd?: (log: EpochLog) => void;
  nowMs?: () => number;
}

/** Rows [n, ...shape] of a flat buffer as a tensor (copied). */
function rowsTensor(data: Float32Array, rowShape: number[], idx: readonly number[]): tf.Tensor {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(idx.length * size);
  idx.forEach((r, i) => out.set(data.subarray(r * size, (r + 1) * size), i * size));
  return tf.tensor(out, [idx.length, ...rowShape]);
}

/** Rows held in one flat buffer, row-major. */
export interface MemoryRows {
  data: Float32Array;
  rowShape: number[];
  rows: number;
}

/**
 * Rows read a batch at a time: the trainer never asks for more than max(batchSize, 64) rows at
 * once, so a source may decode them on demand (fine-tuning reads 224×224 images this way, which
 * would not all fit in a tab's memory).
 */
export interface StreamedRows {
  rows: number;
  rowShape: number[];
  /** Rows idx as a new tensor [idx.length, ...rowShape]; the caller disposes it. */
  take(idx: readonly number[]): Promise<tf.Tensor>;
}

export type Rows = MemoryRows | StreamedRows;

/**
 * Rows `which` of rows held in memory, read a batch at a time: a training or test selection
 * without copying it (a copy of the training split of 6,826 posters at 148×100 RGB is 1 GB).
 */
export function selectRows(x: MemoryRows, which: readonly number[]): StreamedRows {
  return {
    rows: which.length,
    rowShape: x.rowShape,
    take: async (idx) =>
      rowsTensor(
        x.data,
        x.rowShape,
        idx.map((i) => which[i]!),
      ),
  };
}

/** Rows idx of either kind, as a new tensor. */
function take(x: Rows, idx: readonly number[]): Promise<tf.Tensor> | tf.Tensor {
  return 'take' in x ? x.take(idx) : rowsTensor(x.data, x.rowShape, idx);
}

/** Largest batch read for validation and prediction. */
const EVAL_BATCH = 64;

/** One optimizer step on rows idx; returns the batch's mean loss. Disposes its tensors even on error. */
async function trainBatch(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  vars: tf.Variable[],
  x: Rows,
  yData: Float32Array,
  labels: number,
  idx: readonly number[],
  o: TrainOptions,
  rng: () => number,
): Promise<number> {
  const batch: tf.Tensor[] = [];
  try {
    const xb = await take(x, idx);
    batch.push(xb);
    const yb = rowsTensor(yData, [labels], idx) as tf.Tensor2D;
    batch.push(yb);
    const xa =
      xb.rank === 4 && !isIdentity(o.augment)
        ? augmentBatch(xb as tf.Tensor4D, o.augment, rng)
        : xb;
    batch.push(xa);
    const cost = optimizer.minimize(
      () => posterLoss(o.loss, yb, model.apply(xa, { training: true }) as tf.Tensor2D),
      true,
      vars,
    );
    if (!cost) return 0;
    batch.push(cost);
    return (await cost.data())[0]!;
  } finally {
    tf.dispose(batch);
  }
}

/**
 * Mean loss and label-wise accuracy (threshold 0.5) of `model` on rows idx, read in batches: both
 * losses are means over rows, so the batch means weighted by batch size give the whole mean.
 */
async function evaluateRows(
  model: tf.LayersModel,
  x: Rows,
  yData: Float32Array,
  labels: number,
  idx: readonly number[],
  loss: PosterLoss,
  signal?: AbortSignal,
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let accSum = 0;
  for (let s = 0; s < idx.length; s += EVAL_BATCH) {
    signal?.throwIfAborted();
    const part = idx.slice(s, s + EVAL_BATCH);
    const xb = await take(x, part);
    const [l, a] = tf.tidy(() => {
      const yb = rowsTensor(yData, [labels], part) as tf.Tensor2D;
      const p = model.predict(xb) as tf.Tensor2D;
      return [
        posterLoss(loss, yb, p),
        tf.mean(tf.equal(tf.greater(p, 0.5), tf.greater(yb, 0.5)).toFloat()),
      ];
    });
    xb.dispose();
    lossSum += (await l!.data())[0]! * part.length;
    accSum += (await a!.data())[0]! * part.length;
    tf.dispose([l, a]);
  }
  return { loss: lossSum / idx.length, accuracy: accSum / idx.length };
}

/** Trains `model` in place; returns the epoch logs. `x` holds rows of `rowShape`. */
export async function trainModel(
  model: tf.LayersModel,
  x: Rows,
  y: LabelMatrix,
  o: TrainOptions,
  opts: PosterFitOptions = {},
): Promise<{ history: EpochLog[]; bestEpoch: number }> {
  const now = opts.nowMs ?? (() => performance.now());
  const rng = mulberry32(o.seed);
  const { fitIdx, valIdx } = carveValidation(rng, x.rows, o.validationFraction);
  const yData = Float32Array.from(y.data);
  const optimizer =
    o.optimizer === 'adam' ? tf.train.adam(o.learningRate) : tf.train.rmsprop(o.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const history: EpochLog[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as tf.Tensor[] | null };
  let stale = 0;
  const start = now();
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      opts.signal?.throwIfAborted();
      shuffleInPlace(rng, fitIdx);
      let sum = 0;
      for (let s = 0; s < fitIdx.length; s += o.batchSize) {
        // Checked per batch, before any tensor of the batch exists: a cancel lands within one
        // batch (an epoch of the paper's CNN on a software adapter takes minutes).
        opts.signal?.throwIfAborted();
        const idx = fitIdx.slice(s, s + o.batchSize);
        sum +=
          (await trainBatch(model, optimizer, vars, x, yData, y.cols, idx, o, rng)) * idx.length;
        opts.onProgress?.({
          done: epoch - 1 + (s + idx.length) / fitIdx.length,
          total: o.epochs,
          message: `epoch ${epoch}`,
        });
        await yieldToEvents();
      }
      opts.signal?.throwIfAborted();
      let valLoss = NaN;
      let valAccuracy = NaN;
      if (valIdx.length) {
        const v = await evaluateRows(model, x, yData, y.cols, valIdx, o.loss, opts.signal);
        valLoss = v.loss;
        valAccuracy = v.accuracy;
      }
      const log = {
        epoch,
        loss: sum / fitIdx.length,
        valLoss,
        valAccuracy,
        elapsedMs: now() - start,
      };
      history.push(log);
      opts.onEpochEnd?.(log);
      if (!valIdx.length) continue;
      if (valLoss < best.loss) {
        tf.dispose(best.weights ?? []);
        best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) };
        stale = 0;
      } else if (o.patience > 0 && ++stale >= o.patience) break;
    }
    if (best.weights) model.setWeights(best.weights);
    return { history, bestEpoch: best.epoch || history.length };
  } finally {
    tf.dispose(best.weights ?? []);
    optimizer.dispose();
  }
}

/** Probabilities for rows of `rowShape`, predicted in batches, row-major rows × labels. */
export async function predictRows(
  model: tf.LayersModel,
  x: Rows,
  batchSize = 32,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let s = 0; s < x.rows; s += batchSize) {
    signal?.throwIfAborted();
    const idx = Array.from({ length: Math.min(batchSize, x.rows - s) }, (_, i) => s + i);
    const xb = await take(x, idx);
    const p = model.predict(xb) as tf.Tensor;
    parts.push((await p.data()) as Float32Array);
    tf.dispose([xb, p]);
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
