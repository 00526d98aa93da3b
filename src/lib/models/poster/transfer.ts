/**
 * Transfer learning as in the paper: (1) frozen ImageNet features + an MLP head (two dense ReLU
 * layers with 50% dropout, sigmoid outputs), and (2) fine-tuning the backbone's last conv block
 * together with a head initialised from mode (1)'s trained head.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import { NO_AUGMENT } from '../../vision/augment.ts';
import { checkFitShapes, checkName, type DenseMatrix, type MultiLabelModel } from '../types.ts';
import type { BackboneDef } from './backbones.ts';
import {
  predictRows,
  trainModel,
  type EpochLog,
  type PosterFitOptions,
  type Rows,
  type TrainOptions,
} from './trainer.ts';
import { setWeightsFromJson, weightsToJson, type WeightJson } from './weights-json.ts';

/** The paper's head: dense → ReLU → dropout 0.5, twice, then sigmoid outputs. */
export function buildHead(
  inputDims: number,
  units: number,
  labels: number,
  seed: number,
): tf.LayersModel {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  return tf.sequential({
    name: 'head',
    layers: [
      tf.layers.dense({
        inputShape: [inputDims],
        units,
        activation: 'relu',
        kernelInitializer: init(0),
        name: 'head_dense1',
      }),
      tf.layers.dropout({ rate: 0.5, seed: seed + 10, name: 'head_drop1' }),
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: init(1),
        name: 'head_dense2',
      }),
      tf.layers.dropout({ rate: 0.5, seed: seed + 11, name: 'head_drop2' }),
      tf.layers.dense({
        units: labels,
        activation: 'sigmoid',
        kernelInitializer: init(2),
        name: 'head_out',
      }),
    ],
  });
}

export interface HeadOptions {
  units: number;
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'rmsprop';
  learningRate: number;
  validationFraction: number;
  patience: number;
  seed: number;
}

export const HEAD_DEFAULTS: Readonly<HeadOptions> = {
  units: 256,
  epochs: 50,
  batchSize: 32,
  optimizer: 'adam',
  learningRate: 1e-3,
  validationFraction: 0.1,
  patience: 5,
  seed: 42,
};

export interface TransferHeadJson {
  name: 'TransferHead';
  options: HeadOptions;
  inputDims: number;
  labels: number;
  weights: WeightJson[];
  history: EpochLog[];
}

const trainOptions = (o: HeadOptions): TrainOptions => ({
  ...o,
  loss: 'binary',
  augment: NO_AUGMENT,
});

/** Mode 1: the MLP head on frozen backbone features (rows of x are feature vectors). */
export class TransferHead implements MultiLabelModel {
  readonly name = 'TransferHead';
  readonly options: HeadOptions;
  history: EpochLog[] = [];
  #model: tf.LayersModel | null = null;
  #dims = 0;
  #labels = 0;
  #weights: WeightJson[] = [];

  constructor(options: Partial<HeadOptions> = {}) {
    this.options = { ...HEAD_DEFAULTS, ...options };
  }

  get model(): tf.LayersModel | null {
    return this.#model;
  }

  async fit(x: DenseMatrix, y: LabelMatrix, opts: PosterFitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    this.#model?.dispose();
    this.#dims = x.cols;
    this.#labels = y.cols;
    this.#model = buildHead(x.cols, this.options.units, y.cols, this.options.seed);
    const r = await trainModel(
      this.#model,
      { data: x.data, rowShape: [x.cols], rows: x.rows },
      y,
      trainOptions(this.options),
      opts,
    );
    this.history = r.history;
    this.#weights = await weightsToJson(this.#model);
  }

  async predictScores(x: DenseMatrix): Promise<Float32Array> {
    if (!this.#model) throw new Error('TransferHead: fit or load first');
    return predictRows(this.#model, { data: x.data, rowShape: [x.cols], rows: x.rows }, 256);
  }

  thresholds(): number[] {
    return new Array<number>(this.#labels).fill(0.5);
  }

  toJSON(): TransferHeadJson {
    return {
      name: 'TransferHead',
      options: this.options,
      inputDims: this.#dims,
      labels: this.#labels,
      weights: this.#weights,
      history: this.history,
    };
  }

  static load(json: TransferHeadJson): TransferHead {
    checkName(json, 'TransferHead');
    const m = new TransferHead(json.options);
    m.#dims = json.inputDims;
    m.#labels = json.labels;
    m.#model = buildHead(json.inputDims, json.options.units, json.labels, json.options.seed);
    setWeightsFromJson(m.#model, json.weights);
    m.#weights = json.weights;
    m.history = json.history;
    return m;
  }

  dispose(): void {
    this.#model?.dispose();
    this.#model = null;
  }
}

/**
 * The layers of a model with nested models opened up (the saved MobileNetV2 here is a Sequential
 * of the Keras functional model and a pooling layer, so its blocks sit one level down).
 */
export function leafLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((l) =>
    l instanceof tf.LayersModel ? leafLayers(l) : [l as tf.layers.Layer],
  );
}

/**
 * Mode 2: image → backbone → reduce → head, with only the backbone's last conv block and the head
 * trainable. The head's weights are copied from a trained mode-1 head (same shapes).
 */
export function buildFineTuneModel(
  backbone: tf.LayersModel,
  def: BackboneDef,
  trainedHead: tf.LayersModel,
  inputShape: [number, number, number],
): tf.LayersModel {
  const leaves = leafLayers(backbone);
  const open = new Set(def.lastBlock(leaves.map((l) => l.name)));
  if (open.size === 0) throw new RangeError(`${def.label}: no layers of the last block found`);
  for (const layer of leaves) layer.trainable = open.has(layer.name);
  const input = tf.input({ shape: inputShape, name: 'poster' });
  let x = backbone.apply(input) as tf.SymbolicTensor;
  // 'none': the saved backbone already pools (MobileNetV2 here gives [n, 1280]).
  if (def.reduce === 'average' || (def.reduce === 'none' && x.shape.length > 2))
    x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  else if (def.reduce === 'flatten')
    x = tf.layers.flatten({ name: 'flat' }).apply(x) as tf.SymbolicTensor;
  const out = trainedHead.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'finetune' });
}

/** Fine-tunes (mode 2) on image rows; the paper used a small learning rate so features move little. */
export async function fineTune(
  model: tf.LayersModel,
  x: { data: Float32Array; rowShape: number[]; rows: number },
  y: LabelMatrix,
  o: TrainOptions,
  opts: PosterFitOptions = {},
): Promise<EpochLog[]> {
  return (await trainModel(model, x, y, o, opts)).history;
}

/**
 * Keeps every batch-norm layer of `backbone` in inference mode (moving statistics) even when the
 * model is called with training: true, as Keras advises for fine-tuning: batches of 8–32
 * posters give noisy batch statistics that would wreck the pre-trained features. Returns undo.
 */
function inferenceBatchNorm(backbone: tf.LayersModel): () => void {
  const patched = leafLayers(backbone).filter((l) => l.getClassName() === 'BatchNormalization');
  for (const layer of patched) {
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
  }
  return () => {
    for (const layer of patched) delete (layer as { call?: unknown }).call;
  };
}

/**
 * The paper's two-stage scheme on a backbone that may be shared (a worker keeps loaded backbones
 * for later runs): fine-tunes the last conv block together with the trained mode-1 head on image
 * rows (early stopping on a validation part of `train` only), predicts `test`, then puts the
 * backbone's weights, trainable flags and batch-norm mode back as they were. The head keeps the
 * fine-tuned weights.
 */
export async function fineTuneAndPredict(
  backbone: tf.LayersModel,
  def: BackboneDef,
  head: tf.LayersModel,
  train: Rows,
  y: LabelMatrix,
  test: Rows,
  o: TrainOptions,
  opts: PosterFitOptions = {},
): Promise<{ history: EpochLog[]; bestEpoch: number; scores: Float32Array }> {
  const saved = backbone.getWeights().map((w) => w.clone());
  const leaves = leafLayers(backbone);
  const flags = leaves.map((l) => l.trainable);
  const undoBatchNorm = inferenceBatchNorm(backbone);
  try {
    const rowShape = train.rowShape as [number, number, number];
    const model = buildFineTuneModel(backbone, def, head, rowShape);
    try {
      const r = await trainModel(model, train, y, o, opts);
      opts.signal?.throwIfAborted();
      return { ...r, scores: await predictRows(model, test, 16, opts.signal) };
    } finally {
      // Calling a model inside another adds one to its reference count, and disposing the
      // wrapper would dispose nested models outright (tfjs disposes internal containers twice).
      // So the wrapper is left to the garbage collector (it owns no weights) and the two counts
      // are taken back: neither reaches 0 here, the owners still dispose them.
      backbone.dispose();
      head.dispose();
    }
  } finally {
    undoBatchNorm();
    leaves.forEach((l, i) => (l.trainable = flags[i]!));
    backbone.setWeights(saved);
    tf.dispose(saved);
  }
}
