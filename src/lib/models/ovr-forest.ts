/** The one-vs-rest random forest of models/classic behind the common model shape. */
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import type { Importances } from './classic/forest.ts';
import { OneVsRestForest, type OneVsRestForestJson } from './classic/one-vs-rest.ts';
import type { RandomForestOptions } from './classic/forest.ts';
import {
  checkFitShapes,
  checkName,
  type TabularMatrix,
  type FitOptions,
  type MultiLabelModel,
} from './types.ts';

export type ForestOptions = RandomForestOptions;

export interface ForestJson {
  name: 'Forest';
  forest: OneVsRestForestJson | null;
  options: Partial<RandomForestOptions>;
}

/** One random forest per label (sklearn RandomForestClassifier semantics), with feature importances. */
export class ForestModel implements MultiLabelModel {
  readonly name = 'Forest';
  readonly options: Partial<RandomForestOptions>;
  #forest: OneVsRestForest | undefined;

  constructor(options: Partial<RandomForestOptions> = {}) {
    this.options = { ...options };
  }

  async fit(x: TabularMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    const forest = new OneVsRestForest(this.options);
    const perLabel = forest.options.nEstimators;
    await forest.trainAsync(x, y, {
      signal: opts.signal,
      onProgress: (p) =>
        opts.onProgress?.({
          done: p.done,
          total: p.total,
          message: `trees, label ${Math.ceil(p.done / perLabel)}/${Math.round(p.total / perLabel)}`,
        }),
    });
    this.#forest = forest;
  }

  async predictScores(x: TabularMatrix): Promise<Float32Array> {
    if (!this.#forest) throw new Error('Forest is not trained');
    return Float32Array.from(this.#forest.predictProba(x).data);
  }

  /** Mean decrease in impurity of each feature for one label, averaged over its trees. */
  featureImportances(label: number): Importances {
    if (!this.#forest) throw new Error('Forest is not trained');
    return this.#forest.featureImportances(label);
  }

  thresholds(): number[] {
    return (this.#forest?.forests ?? []).map(() => 0.5);
  }

  toJSON(): ForestJson {
    return { name: 'Forest', options: { ...this.options }, forest: this.#forest?.toJSON() ?? null };
  }

  static load(json: ForestJson): ForestModel {
    checkName(json, 'Forest');
    const m = new ForestModel(json.options);
    if (json.forest) m.#forest = OneVsRestForest.load(json.forest);
    return m;
  }

  dispose(): void {}
}
