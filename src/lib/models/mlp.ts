/**
 * A multi-layer perceptron in TensorFlow.js: dense ReLU layers, one sigmoid output per label,
 * binary cross-entropy, Adam. Weights start from a seeded Glorot-uniform draw and batches are
 * shuffled with a seeded generator, so a fit on the cpu backend is repeatable. Early stopping
 * watches a validation part carved from the rows given to fit (training data only) and keeps
 * the best epoch's weights.
 */
import * as tf from '@tensorflow/tfjs';
import { carveValidation, mulberry32, shuffleInPlace } from '../features/random.ts';
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import {
  checkFitShapes,
  checkName,
  type TabularMatrix,
  type FitOptions,
  type MultiLabelModel,
} from './types.ts';
import { asDense } from './classic/matrix.ts';
import { yieldToEvents } from '../core/yield.ts';

export interface MlpOptions {
  hidden: number[];
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Share of the fit's rows held out for early stopping (0 disables it). */
  validationFraction: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** L2 penalty on weights (not biases), added to the mean loss. */
  l2: number;
  seed: number;
}

/** Adam's usual rate; two hidden layers suit ~20 features and ~5,000 movies. */
export const MLP_DEFAULTS: Readonly<MlpOptions> = {
  hidden: [64, 32],
  learningRate: 1e-3,
  epochs: 200,
  batchSize: 64,
  validationFraction: 0.1,
  patience: 15,
  l2: 0,
  seed: 42,
};

/** One dense layer's weights, row-major [inputs × outputs]. */
export interface DenseLayerJson {
  inputs: number;
  outputs: number;
  kernel: number[];
  bias: number[];
}

export interface MlpJson {
  name: 'Mlp';
  options: MlpOptions;
  layers: DenseLayerJson[];
  /** Epochs run and the epoch whose weights were kept (early stopping). */
  epochsRun: number;
  bestEpoch: number;
}

function glorot(rng: () => number, inputs: number, outputs: number): DenseLayerJson {
  const limit = Math.sqrt(6 / (inputs + outputs));
  const kernel = Array.from({ length: inputs * outputs }, () =>
    Math.fround((rng() * 2 - 1) * limit),
  );
  return { inputs, outputs, kernel, bias: new Array<number>(outputs).fill(0) };
}

/** Sigmoid MLP for multi-label outputs. */
export class Mlp implements MultiLabelModel {
  readonly name = 'Mlp';
  readonly options: MlpOptions;
  #layers: DenseLayerJson[] = [];
  #epochsRun = 0;
  #bestEpoch = 0;
  /** Validation loss per epoch of the last fit (NaN without a validation part). */
  history: { epoch: number; loss: number; valLoss: number }[] = [];

  constructor(options: Partial<MlpOptions> = {}) {
    this.options = {
      ...MLP_DEFAULTS,
      ...options,
      hidden: [...(options.hidden ?? MLP_DEFAULTS.hidden)],
    };
  }

  async fit(input: TabularMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    const x = asDense(input);
    checkFitShapes(x, y);
    const o = this.options;
    const rng = mulberry32(o.seed);
    const sizes = [x.cols, ...o.hidden, y.cols];
    const init = sizes.slice(1).map((out, i) => glorot(rng, sizes[i]!, out));
    const { fitIdx, valIdx } = carveValidation(rng, x.rows, o.validationFraction);
    const vars = init.map((l, i) => ({
      w: tf.variable(tf.tensor2d(l.kernel, [l.inputs, l.outputs]), true, `mlp_w${i}`),
      b: tf.variable(tf.tensor1d(l.bias), true, `mlp_b${i}`),
    }));
    const X = tf.tensor2d(x.data, [x.rows, x.cols]);
    const Y = tf.tensor2d(Float32Array.from(y.data), [y.rows, y.cols]);
    const optimizer = tf.train.adam(o.learningRate);
    const logits = (input: tf.Tensor2D): tf.Tensor2D =>
      vars.reduce<tf.Tensor2D>((h, v, i) => {
        const z = tf.add(tf.matMul(h, v.w), v.b) as tf.Tensor2D;
        return i < vars.length - 1 ? tf.relu(z) : z;
      }, input);
    const lossOn = (idx: tf.Tensor1D): tf.Scalar => {
      const base = tf.losses.sigmoidCrossEntropy(
        tf.gather(Y, idx),
        logits(tf.gather(X, idx) as tf.Tensor2D),
      ) as tf.Scalar;
      if (o.l2 <= 0) return base;
      return tf.add(
        base,
        tf.mul(o.l2, tf.addN(vars.map((v) => tf.sum(tf.square(v.w))))),
      ) as tf.Scalar;
    };
    const valT = valIdx.length ? tf.tensor1d(valIdx, 'int32') : null;
    let best = { loss: Infinity, epoch: 0, layers: init };
    this.history = [];
    try {
      let stale = 0;
      for (let epoch = 1; epoch <= o.epochs; epoch++) {
        opts.signal?.throwIfAborted();
        shuffleInPlace(rng, fitIdx);
        // Batch losses are read once per epoch: a read per batch would stall a GPU pipeline.
        const costs: tf.Scalar[] = [];
        for (let s = 0; s < fitIdx.length; s += o.batchSize) {
          const batch = tf.tensor1d(fitIdx.slice(s, s + o.batchSize), 'int32');
          const cost = optimizer.minimize(() => lossOn(batch), true);
          if (cost) costs.push(tf.tidy(() => tf.mul(cost, batch.shape[0])));
          cost?.dispose();
          batch.dispose();
        }
        const sum = costs.length ? await this.#scalar(tf.addN(costs)) : 0;
        tf.dispose(costs);
        const valLoss = valT
          ? await this.#scalar(
              tf.tidy(() =>
                tf.losses.sigmoidCrossEntropy(
                  tf.gather(Y, valT),
                  logits(tf.gather(X, valT) as tf.Tensor2D),
                ),
              ),
            )
          : NaN;
        this.history.push({ epoch, loss: sum / fitIdx.length, valLoss });
        const score = valT ? valLoss : sum / fitIdx.length;
        if (score < best.loss - 1e-7) {
          best = { loss: score, epoch, layers: await this.#read(vars) };
          stale = 0;
        } else if (valT && ++stale >= o.patience) break;
        opts.onProgress?.({ done: epoch, total: o.epochs, message: `epoch ${epoch}` });
        await yieldToEvents();
      }
    } finally {
      tf.dispose([X, Y, ...(valT ? [valT] : []), ...vars.flatMap((v) => [v.w, v.b])]);
      optimizer.dispose();
    }
    this.#layers = best.layers;
    this.#epochsRun = this.history.length;
    this.#bestEpoch = best.epoch;
  }

  async #scalar(t: tf.Tensor): Promise<number> {
    const v = (await t.data())[0]!;
    t.dispose();
    return v;
  }

  async #read(vars: { w: tf.Variable; b: tf.Variable }[]): Promise<DenseLayerJson[]> {
    return Promise.all(
      vars.map(async (v) => ({
        inputs: v.w.shape[0]!,
        outputs: v.w.shape[1]!,
        kernel: Array.from(await v.w.data()),
        bias: Array.from(await v.b.data()),
      })),
    );
  }

  async predictScores(input: TabularMatrix): Promise<Float32Array> {
    const x = asDense(input);
    if (this.#layers.length === 0) throw new Error('Mlp is not trained');
    if (x.cols !== this.#layers[0]!.inputs)
      throw new RangeError(`model has ${this.#layers[0]!.inputs} features, x has ${x.cols}`);
    const out = tf.tidy(() =>
      tf.sigmoid(
        this.#layers.reduce<tf.Tensor2D>(
          (h, l, i) => {
            const z = tf.add(
              tf.matMul(h, tf.tensor2d(l.kernel, [l.inputs, l.outputs])),
              tf.tensor1d(l.bias),
            ) as tf.Tensor2D;
            return i < this.#layers.length - 1 ? tf.relu(z) : z;
          },
          tf.tensor2d(x.data, [x.rows, x.cols]),
        ),
      ),
    );
    const data = Float32Array.from(await out.data());
    out.dispose();
    return data;
  }

  /** Epochs run and the epoch whose weights were kept. */
  get stopping(): { epochsRun: number; bestEpoch: number } {
    return { epochsRun: this.#epochsRun, bestEpoch: this.#bestEpoch };
  }

  thresholds(): number[] {
    return new Array<number>(this.#layers.at(-1)?.outputs ?? 0).fill(0.5);
  }

  toJSON(): MlpJson {
    return {
      name: 'Mlp',
      options: { ...this.options, hidden: [...this.options.hidden] },
      layers: this.#layers.map((l) => ({ ...l, kernel: [...l.kernel], bias: [...l.bias] })),
      epochsRun: this.#epochsRun,
      bestEpoch: this.#bestEpoch,
    };
  }

  static load(json: MlpJson): Mlp {
    checkName(json, 'Mlp');
    const m = new Mlp(json.options);
    m.#layers = json.layers.map((l) => ({ ...l, kernel: [...l.kernel], bias: [...l.bias] }));
    m.#epochsRun = json.epochsRun;
    m.#bestEpoch = json.bestEpoch;
    return m;
  }

  dispose(): void {}
}
