/**
 * Per-label decision thresholds tuned on out-of-fold scores of the TRAINING rows given to fit:
 * the wrapper splits them into inner folds, fits a fresh base model per fold, scores the held-out
 * fold, picks each label's threshold on those scores, then refits the base on all rows. Test rows
 * never reach it (the runner passes only training rows to fit).
 */
import { kFold } from '../features/splits.ts';
import { takeRows, type LabelMatrix } from '../metrics/label-matrix.ts';
import {
  checkFitShapes,
  checkName,
  type TabularMatrix,
  type FitOptions,
  type ModelJson,
  type MultiLabelModel,
} from './types.ts';
import { takeTabularRows } from './classic/matrix.ts';

/** What a label's threshold maximises on the validation scores: its F1, or its accuracy (= minimises its Hamming loss). */
export type ThresholdObjective = 'f1' | 'accuracy';

export interface ThresholdOptions {
  objective: ThresholdObjective;
  folds: number;
  seed: number;
}

export const THRESHOLD_DEFAULTS: Readonly<ThresholdOptions> = {
  objective: 'f1',
  folds: 3,
  seed: 7,
};

/**
 * The threshold maximising the objective for one label. Candidates are midpoints between
 * consecutive distinct scores (and 0.5); ties go to the candidate nearest 0.5.
 */
export function bestThreshold(
  scores: ArrayLike<number>,
  truth: ArrayLike<number>,
  objective: ThresholdObjective,
): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = Array.from({ length: n }, (_, i) => (truth[i] ? 1 : 0)).reduce<number>(
    (s, v) => s + v,
    0,
  );
  const value = (tp: number, predicted: number) =>
    objective === 'f1'
      ? predicted + positives === 0
        ? 0
        : (2 * tp) / (predicted + positives)
      : (tp + (n - predicted - (positives - tp))) / Math.max(n, 1);
  // predicting nothing positive: threshold above the top score
  let bestT = n ? scores[order[0]!]! + 1e-6 : 0.5;
  let bestV = value(0, 0);
  const consider = (t: number, v: number) => {
    if (
      v > bestV + 1e-12 ||
      (Math.abs(v - bestV) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(bestT - 0.5))
    ) {
      bestV = v;
      bestT = t;
    }
  };
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    tp += truth[i] ? 1 : 0;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue; // ties go together
    const t = next === undefined ? scores[i]! - 1e-6 : (scores[i]! + scores[next]!) / 2;
    consider(Math.min(Math.max(t, 0), 1), value(tp, k + 1));
  }
  return bestT;
}

/** One threshold per label column of row-major scores. */
export function tuneThresholds(
  scores: Float32Array,
  y: LabelMatrix,
  objective: ThresholdObjective,
): number[] {
  return Array.from({ length: y.cols }, (_, c) => {
    const s = new Float32Array(y.rows);
    const t = new Uint8Array(y.rows);
    for (let r = 0; r < y.rows; r++) {
      s[r] = scores[r * y.cols + c]!;
      t[r] = y.data[r * y.cols + c]!;
    }
    return bestThreshold(s, t, objective);
  });
}

export interface TunedJson {
  name: 'TunedThresholds';
  options: ThresholdOptions;
  thresholds: number[];
  base: ModelJson;
}

/** A base model whose per-label thresholds were tuned on inner folds of its own training rows. */
export class TunedThresholds implements MultiLabelModel {
  readonly name = 'TunedThresholds';
  readonly options: ThresholdOptions;
  readonly #create: () => MultiLabelModel;
  #base: MultiLabelModel | undefined;
  #thresholds: number[] = [];

  constructor(create: () => MultiLabelModel, options: Partial<ThresholdOptions> = {}) {
    this.#create = create;
    this.options = { ...THRESHOLD_DEFAULTS, ...options };
  }

  async fit(x: TabularMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    const { folds, seed, objective } = this.options;
    const splits = kFold(y, { k: folds, seed, keys: opts.keys });
    const oof = new Float32Array(y.rows * y.cols);
    const steps = folds + 1;
    const sub = (i: number): FitOptions => ({
      signal: opts.signal,
      onProgress: (p) =>
        opts.onProgress?.({
          done: i * p.total + p.done,
          total: steps * p.total,
          message: p.message,
        }),
    });
    for (const [i, split] of splits.entries()) {
      const model = this.#create();
      await model.fit(takeTabularRows(x, split.train), takeRows(y, split.train), {
        ...sub(i),
        keys: opts.keys && split.train.map((r) => opts.keys![r]!),
      });
      const scores = await model.predictScores(takeTabularRows(x, split.test));
      model.dispose();
      split.test.forEach((r, j) =>
        oof.set(scores.subarray(j * y.cols, (j + 1) * y.cols), r * y.cols),
      );
    }
    this.#thresholds = tuneThresholds(oof, y, objective);
    const base = this.#create();
    await base.fit(x, y, { ...sub(folds), keys: opts.keys });
    this.#base?.dispose();
    this.#base = base;
  }

  predictScores(x: TabularMatrix): Promise<Float32Array> {
    if (!this.#base) throw new Error('TunedThresholds is not trained');
    return this.#base.predictScores(x);
  }

  thresholds(): number[] {
    return [...this.#thresholds];
  }

  toJSON(): TunedJson {
    if (!this.#base) throw new Error('TunedThresholds is not trained');
    return {
      name: 'TunedThresholds',
      options: { ...this.options },
      thresholds: [...this.#thresholds],
      base: this.#base.toJSON(),
    };
  }

  /** Rebuilds from JSON; the base is loaded by `loadBase` (the registry's loadModel). */
  static load(json: TunedJson, loadBase: (j: ModelJson) => MultiLabelModel): TunedThresholds {
    checkName(json, 'TunedThresholds');
    const base = loadBase(json.base);
    const m = new TunedThresholds(() => {
      throw new Error('a loaded TunedThresholds cannot be refitted');
    }, json.options);
    m.#base = base;
    m.#thresholds = [...json.thresholds];
    return m;
  }

  dispose(): void {
    this.#base?.dispose();
  }
}
