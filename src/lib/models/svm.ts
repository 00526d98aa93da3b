/**
 * One-vs-rest RBF support vector machine (LIBSVM C-SVC in wasm, see libsvm.ts), with Platt
 * probability outputs (`-b 1`), like scikit-learn's SVC(kernel='rbf', probability=True) per label.
 */
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import { createLibsvm, type Libsvm } from './libsvm.ts';
import {
  checkFitShapes,
  checkName,
  labelColumn,
  type DenseMatrix,
  type TabularMatrix,
  type FitOptions,
  type MultiLabelModel,
} from './types.ts';
import { asDense } from './classic/matrix.ts';
import { yieldToEvents } from '../core/yield.ts';

export interface SvmOptions {
  /** Penalty C of the C-SVC. */
  C: number;
  /** RBF width: 'scale' = 1 / (features · var(X)) (sklearn's default), 'auto' = 1 / features, or a number. */
  gamma: 'scale' | 'auto' | number;
  /** Stopping tolerance (LIBSVM -e; sklearn's tol). */
  tolerance: number;
}

/** sklearn SVC's defaults. */
export const SVM_DEFAULTS: Readonly<SvmOptions> = { C: 1, gamma: 'scale', tolerance: 1e-3 };

/** One label's fitted part: a LIBSVM text model, or a constant when training saw one class only. */
type LabelModel = { model: string } | { constant: number };

export interface SvmJson {
  name: 'OneVsRestSvm';
  options: SvmOptions;
  gamma: number;
  labels: LabelModel[];
}

/** The gamma an option resolves to on training data x (sklearn's formulas; variance over all cells). */
export function resolveGamma(gamma: SvmOptions['gamma'], x: DenseMatrix): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / x.cols;
  let sum = 0;
  for (const v of x.data) sum += v;
  const mean = sum / x.data.length;
  let sq = 0;
  for (const v of x.data) sq += (v - mean) ** 2;
  const variance = sq / x.data.length;
  return variance > 0 ? 1 / (x.cols * variance) : 1;
}

/** One binary LIBSVM C-SVC per label; probabilities from Platt scaling (LIBSVM -b 1). */
export class OneVsRestSvm implements MultiLabelModel {
  readonly name = 'OneVsRestSvm';
  readonly options: SvmOptions;
  #gamma = 0;
  #labels: LabelModel[] = [];
  #runtime: Promise<{ svm: Libsvm; handles: (number | null)[] }> | undefined;

  constructor(options: Partial<SvmOptions> = {}) {
    this.options = { ...SVM_DEFAULTS, ...options };
  }

  async fit(input: TabularMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    const x = asDense(input);
    checkFitShapes(x, y);
    const svm = await createLibsvm();
    const gamma = resolveGamma(this.options.gamma, x);
    const command = `-s 0 -t 2 -c ${this.options.C} -g ${gamma} -e ${this.options.tolerance} -b 1 -q 1`;
    const labels: LabelModel[] = [];
    for (let c = 0; c < y.cols; c++) {
      opts.signal?.throwIfAborted();
      const col = labelColumn(y, c);
      const positives = col.reduce((s, v) => s + v, 0);
      if (positives === 0 || positives === y.rows)
        labels.push({ constant: positives === 0 ? 0 : 1 });
      else labels.push({ model: svm.train(x.data, x.rows, x.cols, col, command) });
      opts.onProgress?.({ done: c + 1, total: y.cols, message: `label ${c + 1}/${y.cols}` });
      await yieldToEvents();
    }
    this.#gamma = gamma;
    this.#labels = labels;
    this.#runtime = undefined;
  }

  /** Loads the text models into one wasm instance, once. */
  #ready() {
    return (this.#runtime ??= createLibsvm().then((svm) => ({
      svm,
      handles: this.#labels.map((l) => ('model' in l ? svm.load(l.model) : null)),
    })));
  }

  async predictScores(input: TabularMatrix): Promise<Float32Array> {
    const x = asDense(input);
    if (this.#labels.length === 0) throw new Error('OneVsRestSvm is not trained');
    const { svm, handles } = await this.#ready();
    const cols = this.#labels.length;
    const out = new Float32Array(x.rows * cols);
    this.#labels.forEach((l, c) => {
      const h = handles[c];
      const p = h == null ? null : svm.predictPositive(h, x.data, x.rows, x.cols);
      for (let r = 0; r < x.rows; r++)
        out[r * cols + c] = p ? p[r]! : 'constant' in l ? l.constant : 0;
    });
    return out;
  }

  /** The gamma used by the fit. */
  get gamma(): number {
    return this.#gamma;
  }

  thresholds(): number[] {
    return this.#labels.map(() => 0.5);
  }

  toJSON(): SvmJson {
    return {
      name: 'OneVsRestSvm',
      options: { ...this.options },
      gamma: this.#gamma,
      labels: this.#labels.map((l) => ({ ...l })),
    };
  }

  static load(json: SvmJson): OneVsRestSvm {
    checkName(json, 'OneVsRestSvm');
    const m = new OneVsRestSvm(json.options);
    m.#gamma = json.gamma;
    m.#labels = json.labels.map((l) => ({ ...l }));
    return m;
  }

  dispose(): void {
    this.#runtime = undefined; // the wasm instance is garbage once unreferenced
  }
}
