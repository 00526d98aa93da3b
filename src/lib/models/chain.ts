/**
 * A classifier chain (Read, Pfahringer, Holmes & Frank 2009, "Classifier chains for multi-label
 * classification"): link k predicts label order[k] from the features plus the earlier labels of
 * the chain (true labels when training, predicted 0/1 labels when predicting). Chosen over a
 * joint MLP because the MLP already shares one hidden representation across labels, while a
 * chain adds label dependence to every base model (SVM, forest, logistic) of the registry.
 */
import { labelCounts, type LabelMatrix } from '../metrics/label-matrix.ts';
import { mulberry32, shuffleInPlace } from '../features/random.ts';
import {
  checkFitShapes,
  checkName,
  labelColumn,
  type TabularMatrix,
  type FitOptions,
  type ModelJson,
  type MultiLabelModel,
} from './types.ts';
import { appendTabularColumns } from './classic/matrix.ts';

/** 'frequency': most frequent label first (its prediction is the most reliable); 'random': seeded shuffle. */
export type ChainOrder = 'frequency' | 'random';

export interface ChainOptions {
  order: ChainOrder;
  seed: number;
}

export const CHAIN_DEFAULTS: Readonly<ChainOptions> = { order: 'frequency', seed: 11 };

export interface ChainJson {
  name: 'ClassifierChain';
  options: ChainOptions;
  order: number[];
  links: ModelJson[];
}

/** A chain of single-label base models. */
export class ClassifierChain implements MultiLabelModel {
  readonly name = 'ClassifierChain';
  readonly options: ChainOptions;
  readonly #create: () => MultiLabelModel;
  #order: number[] = [];
  #links: MultiLabelModel[] = [];

  constructor(create: () => MultiLabelModel, options: Partial<ChainOptions> = {}) {
    this.#create = create;
    this.options = { ...CHAIN_DEFAULTS, ...options };
  }

  async fit(x: TabularMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    const counts = labelCounts(y);
    const labels = Array.from({ length: y.cols }, (_, c) => c);
    const order =
      this.options.order === 'random'
        ? shuffleInPlace(mulberry32(this.options.seed), labels)
        : labels.sort((a, b) => counts[b]! - counts[a]! || a - b);
    const links: MultiLabelModel[] = [];
    const previous: Float32Array[] = [];
    for (const [k, label] of order.entries()) {
      const column = labelColumn(y, label);
      const link = this.#create();
      await link.fit(
        appendTabularColumns(x, previous),
        { rows: y.rows, cols: 1, data: column },
        {
          signal: opts.signal,
          keys: opts.keys,
          onProgress: (p) =>
            opts.onProgress?.({
              done: k * p.total + p.done,
              total: y.cols * p.total,
              message: `link ${k + 1}/${y.cols}`,
            }),
        },
      );
      links.push(link);
      previous.push(Float32Array.from(column));
    }
    this.#links.forEach((l) => l.dispose());
    this.#order = order;
    this.#links = links;
  }

  async predictScores(x: TabularMatrix): Promise<Float32Array> {
    if (this.#links.length === 0) throw new Error('ClassifierChain is not trained');
    const cols = this.#links.length;
    const out = new Float32Array(x.rows * cols);
    const previous: Float32Array[] = [];
    for (const [k, link] of this.#links.entries()) {
      const p = await link.predictScores(appendTabularColumns(x, previous));
      const label = this.#order[k]!;
      for (let r = 0; r < x.rows; r++) out[r * cols + label] = p[r]!;
      previous.push(Float32Array.from(p, (v) => (v >= 0.5 ? 1 : 0)));
    }
    return out;
  }

  /** Label indices in chain order. */
  get order(): readonly number[] {
    return this.#order;
  }

  thresholds(): number[] {
    return this.#links.map(() => 0.5);
  }

  toJSON(): ChainJson {
    return {
      name: 'ClassifierChain',
      options: { ...this.options },
      order: [...this.#order],
      links: this.#links.map((l) => l.toJSON()),
    };
  }

  /** Rebuilds from JSON; links are loaded by `loadLink` (the registry's loadModel). */
  static load(json: ChainJson, loadLink: (j: ModelJson) => MultiLabelModel): ClassifierChain {
    checkName(json, 'ClassifierChain');
    const m = new ClassifierChain(() => {
      throw new Error('a loaded ClassifierChain cannot be refitted');
    }, json.options);
    m.#order = [...json.order];
    m.#links = json.links.map(loadLink);
    return m;
  }

  dispose(): void {
    this.#links.forEach((l) => l.dispose());
  }
}
