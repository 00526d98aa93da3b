/**
 * The poster CNN as a MultiLabelModel: rows of x are flattened images (height × width ×
 * channels, given as params by the poster runner), trained with the shared loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import { NO_AUGMENT, type AugmentOptions } from '../../vision/augment.ts';
import { checkFitShapes, checkName, type DenseMatrix, type MultiLabelModel } from '../types.ts';
import { buildCnn, cnnArchitecture, type CnnPreset } from './cnn.ts';
import type { PosterLoss } from './losses.ts';
import {
  predictRows,
  trainModel,
  type Rows,
  TRAIN_DEFAULTS,
  type EpochLog,
  type PosterFitOptions,
} from './trainer.ts';
import { setWeightsFromJson, weightsToJson, type WeightJson } from './weights-json.ts';

export interface CnnOptions {
  preset: CnnPreset;
  /** Base filters f (convolutions f, f, 2f), or null for the preset's. */
  filters: number | null;
  height: number;
  width: number;
  channels: number;
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'rmsprop';
  learningRate: number;
  loss: PosterLoss;
  validationFraction: number;
  patience: number;
  augFlip: boolean;
  augShift: number;
  augZoom: number;
  augRotationDeg: number;
  augColor: number;
  seed: number;
}

/** The paper's initial run: batch 16, 20 epochs, Adam, on 148×100 RGB. */
export const CNN_DEFAULTS: Readonly<CnnOptions> = {
  preset: 'initial',
  filters: null,
  height: 148,
  width: 100,
  channels: 3,
  epochs: TRAIN_DEFAULTS.epochs,
  batchSize: TRAIN_DEFAULTS.batchSize,
  optimizer: TRAIN_DEFAULTS.optimizer,
  learningRate: TRAIN_DEFAULTS.learningRate,
  loss: TRAIN_DEFAULTS.loss,
  validationFraction: TRAIN_DEFAULTS.validationFraction,
  patience: TRAIN_DEFAULTS.patience,
  seed: TRAIN_DEFAULTS.seed,
  augFlip: NO_AUGMENT.flip,
  augShift: NO_AUGMENT.shift,
  augZoom: NO_AUGMENT.zoom,
  augRotationDeg: NO_AUGMENT.rotationDeg,
  augColor: NO_AUGMENT.colorJitter,
};

export interface CnnJson {
  name: 'PosterCnn';
  options: CnnOptions;
  labels: number;
  weights: WeightJson[];
  history: EpochLog[];
}

function augmentOf(o: CnnOptions): AugmentOptions {
  return {
    flip: o.augFlip,
    shift: o.augShift,
    zoom: o.augZoom,
    rotationDeg: o.augRotationDeg,
    colorJitter: o.augColor,
  };
}

export class PosterCnn implements MultiLabelModel {
  readonly name = 'PosterCnn';
  readonly options: CnnOptions;
  history: EpochLog[] = [];
  #model: tf.LayersModel | null = null;
  #labels = 0;

  constructor(options: Partial<CnnOptions> = {}) {
    this.options = { ...CNN_DEFAULTS, ...options };
  }

  get rowShape(): [number, number, number] {
    return [this.options.height, this.options.width, this.options.channels];
  }

  /** The underlying layers model (after fit or load). */
  get model(): tf.LayersModel | null {
    return this.#model;
  }

  #build(labels: number): tf.LayersModel {
    const o = this.options;
    this.#model?.dispose();
    this.#labels = labels;
    this.#model = buildCnn(
      cnnArchitecture(o.preset, o.filters === null ? {} : { filters: o.filters }),
      this.rowShape,
      labels,
      o.seed,
    );
    return this.#model;
  }

  async fit(x: DenseMatrix, y: LabelMatrix, opts: PosterFitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    const size = this.rowShape.reduce((a, b) => a * b, 1);
    if (x.cols !== size)
      throw new RangeError(`rows have ${x.cols} values, expected ${this.rowShape.join('×')}`);
    await this.fitRows({ data: x.data, rowShape: this.rowShape, rows: x.rows }, y, opts);
  }

  /** fit on rows of any source (a selection of a larger buffer, or rows read on demand). */
  async fitRows(x: Rows, y: LabelMatrix, opts: PosterFitOptions = {}): Promise<void> {
    if (x.rows !== y.rows) throw new RangeError(`${x.rows} rows but ${y.rows} label rows`);
    if (x.rowShape.join('×') !== this.rowShape.join('×'))
      throw new RangeError(`rows are ${x.rowShape.join('×')}, expected ${this.rowShape.join('×')}`);
    const model = this.#build(y.cols);
    const o = this.options;
    const { history } = await trainModel(model, x, y, { ...o, augment: augmentOf(o) }, opts);
    this.history = history;
  }

  async predictScores(x: DenseMatrix): Promise<Float32Array> {
    return this.scoreRows({ data: x.data, rowShape: this.rowShape, rows: x.rows });
  }

  /** predictScores on rows of any source. */
  async scoreRows(x: Rows): Promise<Float32Array> {
    if (!this.#model) throw new Error('PosterCnn: fit or load first');
    return predictRows(this.#model, x);
  }

  thresholds(): number[] {
    return new Array<number>(this.#labels).fill(0.5);
  }

  /** Synchronous JSON needs weights read already: call `snapshot()` first (await). */
  #weights: WeightJson[] = [];
  async snapshot(): Promise<void> {
    if (this.#model) this.#weights = await weightsToJson(this.#model);
  }

  toJSON(): CnnJson {
    return {
      name: 'PosterCnn',
      options: this.options,
      labels: this.#labels,
      weights: this.#weights,
      history: this.history,
    };
  }

  static load(json: CnnJson): PosterCnn {
    checkName(json, 'PosterCnn');
    const m = new PosterCnn(json.options);
    setWeightsFromJson(m.#build(json.labels), json.weights);
    m.#weights = json.weights;
    m.history = json.history;
    return m;
  }

  dispose(): void {
    this.#model?.dispose();
    this.#model = null;
  }
}
