/**
 * One forest per label. Chosen over one multi-output forest (which sklearn also offers) because
 * the paper's keyword analysis fits one-vs-rest, and only a per-label forest gives per-label
 * importances ("top keywords of Horror"); a multi-output tree splits for all labels at once and
 * has one importance vector. The dense rank index is built once and shared by all labels.
 */
import { mulberry32 } from '../../features/random.ts';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import {
  DEFAULT_OPTIONS,
  RandomForestClassifier,
  type ForestFit,
  type Importances,
  type RandomForestJson,
  type RandomForestOptions,
} from './forest.ts';
import type { FeatureMatrix } from './matrix.ts';
import { runAsync, runSync, type FitSteps, type TrainControl } from './training.ts';

/** The serialised model. */
export interface OneVsRestForestJson {
  name: 'OneVsRestForest';
  options: RandomForestOptions;
  forests: RandomForestJson[];
}

/** A ranked feature with its importance and spread across trees. */
export interface RankedFeature {
  feature: number;
  name: string;
  importance: number;
  std: number;
}

/** The k features of highest mean importance, best first (ties by lower index). */
export function topFeatures(
  imp: Importances,
  names: readonly string[],
  k: number,
): RankedFeature[] {
  const order = Array.from(imp.mean.keys()).sort((a, b) => imp.mean[b]! - imp.mean[a]! || a - b);
  return order.slice(0, k).map((f) => ({
    feature: f,
    name: names[f] ?? String(f),
    importance: imp.mean[f]!,
    std: imp.std[f]!,
  }));
}

/** One RandomForestClassifier per label column; each label's forest is seeded from `seed`. */
export class OneVsRestForest {
  readonly options: RandomForestOptions;
  #forests: RandomForestClassifier[] = [];

  constructor(options: Partial<RandomForestOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** Fits labels.cols forests; progress counts trees over all labels. */
  train(x: FeatureMatrix, labels: LabelMatrix, control?: TrainControl): this {
    this.#forests = runSync(
      this.#steps(x, labels),
      labels.cols * this.options.nEstimators,
      control,
    );
    return this;
  }

  /** Same fit, yielding to the event loop now and then. */
  async trainAsync(x: FeatureMatrix, labels: LabelMatrix, control?: TrainControl): Promise<this> {
    this.#forests = await runAsync(
      this.#steps(x, labels),
      labels.cols * this.options.nEstimators,
      control,
    );
    return this;
  }

  *#steps(x: FeatureMatrix, labels: LabelMatrix): FitSteps<RandomForestClassifier[]> {
    if (labels.rows !== x.rows)
      throw new RangeError(`${labels.rows} label rows for ${x.rows} rows`);
    const seeds = mulberry32(this.options.seed);
    const fits: [RandomForestClassifier, ForestFit][] = [];
    for (let c = 0; c < labels.cols; c++) {
      const y = new Uint8Array(labels.rows);
      for (let r = 0; r < labels.rows; r++) y[r] = labels.data[r * labels.cols + c]! ? 1 : 0;
      const forest = new RandomForestClassifier({
        ...this.options,
        seed: Math.floor(seeds() * 2 ** 32),
      });
      fits.push([forest, yield* forest.fitSteps(x, y)]);
    }
    for (const [forest, fit] of fits) forest.commit(x, fit);
    return fits.map(([forest]) => forest);
  }

  /** The per-label forests. */
  get forests(): readonly RandomForestClassifier[] {
    return this.#forests;
  }

  /** P(label = 1) per row and label, row-major like LabelMatrix. */
  predictProba(x: FeatureMatrix): { rows: number; cols: number; data: Float64Array } {
    const cols = this.#forests.length;
    if (cols === 0) throw new Error('OneVsRestForest is not trained');
    const data = new Float64Array(x.rows * cols);
    this.#forests.forEach((f, c) => f.predictProba(x).forEach((p, r) => (data[r * cols + c] = p)));
    return { rows: x.rows, cols, data };
  }

  /** 0/1 labels: each label's P > 0.5. */
  predict(x: FeatureMatrix): LabelMatrix {
    const p = this.predictProba(x);
    return { rows: p.rows, cols: p.cols, data: Uint8Array.from(p.data, (v) => (v > 0.5 ? 1 : 0)) };
  }

  /** Importances of one label's forest. */
  featureImportances(label: number): Importances {
    const f = this.#forests[label];
    if (!f) throw new RangeError(`no label ${label}`);
    return f.featureImportances();
  }

  toJSON(): OneVsRestForestJson {
    return {
      name: 'OneVsRestForest',
      options: { ...this.options },
      forests: this.#forests.map((f) => f.toJSON()),
    };
  }

  /** Rebuilds a model from toJSON output; throws RangeError when the name tag is not ours. */
  static load(json: OneVsRestForestJson): OneVsRestForest {
    if (json.name !== 'OneVsRestForest')
      throw new RangeError(`invalid model: ${String(json.name)}`);
    const model = new OneVsRestForest(json.options);
    model.#forests = json.forests.map((f) => RandomForestClassifier.load(f));
    return model;
  }
}
