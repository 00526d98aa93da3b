/**
 * The paper's baseline: grayscale posters → PCA to the components explaining a share of the
 * variance (the paper: 90 %, 166 components) → a one-vs-rest classifier of the registry (SVM or
 * forest) on the projections. The classifier is created through a factory to avoid an import
 * cycle with the registry.
 */
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import {
  checkFitShapes,
  type DenseMatrix,
  type FitOptions,
  type ModelJson,
  type MultiLabelModel,
} from '../types.ts';
import { componentsFor, fitPca, transformPca, type PcaFit } from './pca.ts';

export interface PcaModelOptions {
  variance: number;
  maxComponents: number;
  seed: number;
}

export const PCA_MODEL_DEFAULTS: Readonly<PcaModelOptions> = {
  variance: 0.9,
  maxComponents: 300,
  seed: 0,
};

export interface PcaModelJson extends ModelJson {
  name: 'PcaClassifier';
  options: PcaModelOptions;
  k: number;
  pca: {
    mean: number[];
    components: number[];
    rank: number;
    dims: number;
    explainedVariance: number[];
    explainedVarianceRatio: number[];
  };
  classifier: ModelJson;
}

export class PcaClassifier implements MultiLabelModel {
  readonly name = 'PcaClassifier';
  readonly options: PcaModelOptions;
  /** The fitted PCA (explained-variance curve, eigenposters) and how many components were kept. */
  pca: PcaFit | null = null;
  k = 0;
  readonly #make: () => MultiLabelModel;
  #clf: MultiLabelModel | null = null;

  constructor(options: Partial<PcaModelOptions>, makeClassifier: () => MultiLabelModel) {
    this.options = { ...PCA_MODEL_DEFAULTS, ...options };
    this.#make = makeClassifier;
  }

  async fit(x: DenseMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    opts.onProgress?.({ done: 0, total: 2, message: 'randomized PCA' });
    this.pca = await fitPca(x, {
      rank: Math.min(this.options.maxComponents, x.rows - 1),
      seed: this.options.seed,
    });
    this.k = componentsFor(this.pca, this.options.variance);
    const z = await transformPca(this.pca, x, this.k);
    opts.onProgress?.({ done: 1, total: 2, message: `classifier on ${this.k} components` });
    this.#clf?.dispose();
    this.#clf = this.#make();
    await this.#clf.fit({ rows: x.rows, cols: this.k, data: z }, y, opts);
  }

  async predictScores(x: DenseMatrix): Promise<Float32Array> {
    if (!this.pca || !this.#clf) throw new Error('PcaClassifier: fit first');
    const z = await transformPca(this.pca, x, this.k);
    return this.#clf.predictScores({ rows: x.rows, cols: this.k, data: z });
  }

  thresholds(): number[] {
    return this.#clf?.thresholds() ?? [];
  }

  toJSON(): PcaModelJson {
    if (!this.pca || !this.#clf) throw new Error('PcaClassifier: fit first');
    const p = this.pca;
    return {
      name: 'PcaClassifier',
      options: this.options,
      k: this.k,
      pca: {
        ...p,
        mean: Array.from(p.mean),
        components: Array.from(p.components.subarray(0, this.k * p.dims)),
        rank: this.k,
      },
      classifier: this.#clf.toJSON(),
    };
  }

  static load(json: PcaModelJson, loadModel: (j: ModelJson) => MultiLabelModel): PcaClassifier {
    const m = new PcaClassifier(json.options, () => loadModel(json.classifier));
    m.k = json.k;
    m.pca = {
      ...json.pca,
      mean: Float32Array.from(json.pca.mean),
      components: Float32Array.from(json.pca.components),
    };
    m.#clf = loadModel(json.classifier);
    return m;
  }

  dispose(): void {
    this.#clf?.dispose();
    this.#clf = null;
  }
}
