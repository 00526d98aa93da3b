/**
 * Binary random-forest classifier (Breiman; defaults and semantics of scikit-learn 1.2's
 * RandomForestClassifier) over dense numeric or sparse binary features.
 *
 * Why not ml-random-forest (mljs): it takes X as dense ml-matrix float64 rows (7,000 × 12,000
 * keywords = 672 MB) and ml-cart re-sorts columns at every node. Measured here (Node 20, 2 cores)
 * on a slice of the TMDb-5000 keyword matrix, 2,000 movies × 4,000 keywords, 10 trees: ml-random-forest
 * 2.1.0 took 33.9 s and +334 MB RSS (with only 63 features per tree, its maxFeatures being per tree),
 * this forest 0.135 s on the CSR form (sqrt(cols) per node, as sklearn).
 */
import { mulberry32 } from '../../features/random.ts';
import { checkMatrix, isMixed, isSparse, type DenseMatrix, type FeatureMatrix } from './matrix.ts';
import {
  DenseSplitter,
  indexDense,
  MixedSplitter,
  SparseSplitter,
  type DenseIndex,
  type Splitter,
} from './splitters.ts';
import { TreeGrower, type GrowParams } from './tree-builder.ts';
import {
  addTreeDense,
  sumTreesMixed,
  sumTreesSparse,
  treeFromJson,
  treeToJson,
  type Tree,
  type TreeJson,
} from './tree.ts';
import { runAsync, runSync, type FitSteps, type TrainControl } from './training.ts';

/** Forest hyper-parameters, named after sklearn's. */
export interface RandomForestOptions {
  nEstimators: number;
  /** 'sqrt' | 'log2', an integer count, a fraction in (0, 1), or null for all features. */
  maxFeatures: 'sqrt' | 'log2' | number | null;
  /** null grows until leaves are pure (sklearn's None). */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  bootstrap: boolean;
  /** Seeds mulberry32 (features/random.ts); each tree gets its own stream drawn from it. */
  seed: number;
}

/** sklearn's defaults for classifiers; seed is ours. */
export const DEFAULT_OPTIONS: Readonly<RandomForestOptions> = {
  nEstimators: 100,
  maxFeatures: 'sqrt',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  bootstrap: true,
  seed: 42,
};

/** Mean and spread (population std, as np.std) of per-tree importances. */
export interface Importances {
  mean: Float64Array;
  std: Float64Array;
}

/** The serialised model. */
export interface RandomForestJson {
  name: 'RandomForestClassifier';
  options: RandomForestOptions;
  nFeatures: number;
  trees: TreeJson[];
  importanceSum: number[];
  importanceSumSq: number[];
  importanceTrees: number;
}

const denseIndexCache = new WeakMap<DenseMatrix, DenseIndex>();

function denseIndexOf(x: DenseMatrix): DenseIndex {
  let ix = denseIndexCache.get(x);
  if (!ix) {
    ix = indexDense(x);
    denseIndexCache.set(x, ix);
  }
  return ix;
}

/** A splitter for x; the dense rank index is cached per matrix so one-vs-rest labels share it. */
export function splitterFor(x: FeatureMatrix): Splitter {
  if (isSparse(x)) return new SparseSplitter(x);
  if (isMixed(x)) return new MixedSplitter(denseIndexOf(x.dense), x.sparse);
  return new DenseSplitter(denseIndexOf(x));
}

/** max_features as a count, as sklearn resolves it. */
export function resolveMaxFeatures(m: RandomForestOptions['maxFeatures'], cols: number): number {
  if (m === null) return cols;
  if (m === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (m === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
  if (m > 0 && m < 1) return Math.max(1, Math.floor(m * cols));
  if (Number.isInteger(m) && m >= 1) return Math.min(m, cols);
  throw new RangeError(
    `maxFeatures ${m} is not 'sqrt', 'log2', null, a fraction or a positive integer`,
  );
}

/** A finished fit: trees and running sums of per-tree importances. */
export interface ForestFit {
  trees: Tree[];
  sum: Float64Array;
  sumSq: Float64Array;
  counted: number;
}

/** A random forest for one binary label (0/1); see OneVsRestForest for several labels. */
export class RandomForestClassifier {
  readonly options: RandomForestOptions;
  #nFeatures = 0;
  #fit: ForestFit = { trees: [], sum: new Float64Array(0), sumSq: new Float64Array(0), counted: 0 };

  constructor(options: Partial<RandomForestOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    const o = this.options;
    if (!Number.isInteger(o.nEstimators) || o.nEstimators < 1)
      throw new RangeError('nEstimators must be a positive integer');
    if (o.minSamplesSplit < 2) throw new RangeError('minSamplesSplit must be at least 2');
    if (o.minSamplesLeaf < 1) throw new RangeError('minSamplesLeaf must be at least 1');
  }

  /** Fits nEstimators trees; y holds one 0/1 label per row. */
  train(x: FeatureMatrix, y: Uint8Array, control?: TrainControl): this {
    this.#commit(x, runSync(this.fitSteps(x, y), this.options.nEstimators, control));
    return this;
  }

  /** Same fit, yielding to the event loop now and then (for workers with a cancel call). */
  async trainAsync(x: FeatureMatrix, y: Uint8Array, control?: TrainControl): Promise<this> {
    this.#commit(x, await runAsync(this.fitSteps(x, y), this.options.nEstimators, control));
    return this;
  }

  /** The fit as steps (one per tree); the result is applied by train/trainAsync. Used by OneVsRestForest. */
  *fitSteps(x: FeatureMatrix, y: Uint8Array): FitSteps<ForestFit> {
    checkMatrix(x);
    if (y.length !== x.rows) throw new RangeError(`${y.length} labels for ${x.rows} rows`);
    const o = this.options;
    const params: GrowParams = {
      maxFeatures: resolveMaxFeatures(o.maxFeatures, x.cols),
      maxDepth: o.maxDepth ?? Infinity,
      minSamplesSplit: o.minSamplesSplit,
      minSamplesLeaf: o.minSamplesLeaf,
      bootstrap: o.bootstrap,
    };
    const grower = new TreeGrower(splitterFor(x), y, params);
    const seeds = mulberry32(o.seed);
    const fit: ForestFit = {
      trees: [],
      sum: new Float64Array(x.cols),
      sumSq: new Float64Array(x.cols),
      counted: 0,
    };
    for (let i = 0; i < o.nEstimators; i++) {
      const { tree, importances } = grower.grow(mulberry32(Math.floor(seeds() * 2 ** 32)));
      fit.trees.push(tree);
      if (importances) {
        fit.counted++;
        for (let f = 0; f < importances.length; f++) {
          const v = importances[f]!;
          if (v !== 0) {
            fit.sum[f]! += v;
            fit.sumSq[f]! += v * v;
          }
        }
      }
      yield;
    }
    return fit;
  }

  /** Applies a finished fit (from fitSteps). */
  commit(x: FeatureMatrix, fit: ForestFit): void {
    this.#commit(x, fit);
  }

  #commit(x: FeatureMatrix, fit: ForestFit): void {
    this.#nFeatures = x.cols;
    this.#fit = fit;
  }

  /** The fitted trees. */
  get trees(): readonly Tree[] {
    return this.#fit.trees;
  }

  /** Number of feature columns seen in training. */
  get nFeatures(): number {
    return this.#nFeatures;
  }

  /** P(label = 1) per row: the mean of the trees' leaf class-1 fractions, as sklearn's predict_proba[:, 1]. */
  predictProba(x: FeatureMatrix): Float64Array {
    const trees = this.#fit.trees;
    if (trees.length === 0) throw new Error('RandomForestClassifier is not trained');
    if (x.cols !== this.#nFeatures)
      throw new RangeError(`x has ${x.cols} columns, the model ${this.#nFeatures}`);
    checkMatrix(x);
    let out: Float64Array;
    if (isSparse(x)) out = sumTreesSparse(trees, x);
    else if (isMixed(x)) out = sumTreesMixed(trees, x);
    else {
      out = new Float64Array(x.rows);
      for (const t of trees) addTreeDense(t, x, out);
    }
    for (let i = 0; i < out.length; i++) out[i]! /= trees.length;
    return out;
  }

  /** 0/1 per row: 1 when P(1) > 0.5 (sklearn's argmax keeps class 0 on a tie). */
  predict(x: FeatureMatrix): Uint8Array {
    return Uint8Array.from(this.predictProba(x), (p) => (p > 0.5 ? 1 : 0));
  }

  /**
   * Mean decrease in impurity per feature: the mean over trees (single-leaf trees skipped, as sklearn's
   * feature_importances_) of each tree's normalised importances, and their std across those trees.
   */
  featureImportances(): Importances {
    const { sum, sumSq, counted } = this.#fit;
    const mean = new Float64Array(sum.length);
    const std = new Float64Array(sum.length);
    if (counted === 0) return { mean, std };
    for (let f = 0; f < sum.length; f++) {
      const m = sum[f]! / counted;
      mean[f] = m;
      std[f] = Math.sqrt(Math.max(0, sumSq[f]! / counted - m * m));
    }
    return { mean, std };
  }

  toJSON(): RandomForestJson {
    const { trees, sum, sumSq, counted } = this.#fit;
    return {
      name: 'RandomForestClassifier',
      options: { ...this.options },
      nFeatures: this.#nFeatures,
      trees: trees.map(treeToJson),
      importanceSum: Array.from(sum),
      importanceSumSq: Array.from(sumSq),
      importanceTrees: counted,
    };
  }

  /** Rebuilds a model from toJSON output; throws RangeError when the name tag is not ours. */
  static load(json: RandomForestJson): RandomForestClassifier {
    if (json.name !== 'RandomForestClassifier')
      throw new RangeError(`invalid model: ${String(json.name)}`);
    const model = new RandomForestClassifier(json.options);
    model.#nFeatures = json.nFeatures;
    model.#fit = {
      trees: json.trees.map(treeFromJson),
      sum: Float64Array.from(json.importanceSum),
      sumSq: Float64Array.from(json.importanceSumSq),
      counted: json.importanceTrees,
    };
    return model;
  }
}
