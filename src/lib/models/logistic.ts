/**
 * One-vs-rest L2 logistic regression in plain TypeScript, fitted by Newton's method (IRLS).
 * Objective per label as scikit-learn's LogisticRegression(penalty='l2', C): C · Σ log-loss + ½‖w‖²,
 * intercept not penalised. Features are few (tens), so each Newton step solves a small dense system.
 */
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import {
  checkFitShapes,
  checkName,
  labelColumn,
  type DenseMatrix,
  type FitOptions,
  type MultiLabelModel,
} from './types.ts';
import { nextTask } from './yield.ts';

export interface LogisticOptions {
  /** Inverse regularisation strength (sklearn's C). */
  C: number;
  maxIter: number;
  /** Stop when the largest gradient component falls below this. */
  tolerance: number;
}

export const LOGISTIC_DEFAULTS: Readonly<LogisticOptions> = { C: 1, maxIter: 100, tolerance: 1e-6 };

export interface LogisticJson {
  name: 'OneVsRestLogistic';
  options: LogisticOptions;
  /** Per label: weights then intercept (cols + 1 numbers). */
  coef: number[][];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A v = b in place for a symmetric positive definite A (Cholesky); returns v. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * n + j]!;
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * z[k]!;
    z[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * z[k]!;
    z[i] = s / l[i * n + i]!;
  }
  return z;
}

/** Newton iterations for one label; returns weights then intercept. */
function fitLabel(x: DenseMatrix, y: Uint8Array, o: LogisticOptions): number[] {
  const d = x.cols + 1;
  const w = new Float64Array(d);
  const row = (r: number, k: number) => (k === x.cols ? 1 : x.data[r * x.cols + k]!);
  for (let iter = 0; iter < o.maxIter; iter++) {
    const g = new Float64Array(d);
    const h = new Float64Array(d * d);
    for (let r = 0; r < x.rows; r++) {
      let z = w[x.cols]!;
      for (let k = 0; k < x.cols; k++) z += w[k]! * x.data[r * x.cols + k]!;
      const p = sigmoid(z);
      const err = o.C * (p - y[r]!);
      const s = o.C * Math.max(p * (1 - p), 1e-12);
      for (let i = 0; i < d; i++) {
        const xi = row(r, i);
        g[i]! += err * xi;
        for (let j = 0; j <= i; j++) h[i * d + j]! += s * xi * row(r, j);
      }
    }
    for (let i = 0; i < d; i++) {
      if (i < x.cols) {
        g[i]! += w[i]!;
        h[i * d + i]! += 1;
      } else h[i * d + i]! += 1e-8; // keeps a separable intercept direction solvable
      for (let j = 0; j < i; j++) h[j * d + i] = h[i * d + j]!;
    }
    const step = solveSpd(h, g, d);
    for (let i = 0; i < d; i++) w[i]! -= step[i]!;
    if (Math.max(...g.map(Math.abs)) < o.tolerance) break;
  }
  return Array.from(w);
}

/** One L2 logistic regression per label. */
export class OneVsRestLogistic implements MultiLabelModel {
  readonly name = 'OneVsRestLogistic';
  readonly options: LogisticOptions;
  #coef: number[][] = [];

  constructor(options: Partial<LogisticOptions> = {}) {
    this.options = { ...LOGISTIC_DEFAULTS, ...options };
  }

  async fit(x: DenseMatrix, y: LabelMatrix, opts: FitOptions = {}): Promise<void> {
    checkFitShapes(x, y);
    const coef: number[][] = [];
    for (let c = 0; c < y.cols; c++) {
      opts.signal?.throwIfAborted();
      coef.push(fitLabel(x, labelColumn(y, c), this.options));
      opts.onProgress?.({ done: c + 1, total: y.cols, message: `label ${c + 1}/${y.cols}` });
      await nextTask();
    }
    this.#coef = coef;
  }

  async predictScores(x: DenseMatrix): Promise<Float32Array> {
    if (this.#coef.length === 0) throw new Error('OneVsRestLogistic is not trained');
    const cols = this.#coef.length;
    const out = new Float32Array(x.rows * cols);
    this.#coef.forEach((w, c) => {
      if (w.length !== x.cols + 1)
        throw new RangeError(`model has ${w.length - 1} features, x has ${x.cols}`);
      for (let r = 0; r < x.rows; r++) {
        let z = w[x.cols]!;
        for (let k = 0; k < x.cols; k++) z += w[k]! * x.data[r * x.cols + k]!;
        out[r * cols + c] = sigmoid(z);
      }
    });
    return out;
  }

  /** Per label: weights then intercept. */
  get coefficients(): readonly number[][] {
    return this.#coef;
  }

  thresholds(): number[] {
    return this.#coef.map(() => 0.5);
  }

  toJSON(): LogisticJson {
    return {
      name: 'OneVsRestLogistic',
      options: { ...this.options },
      coef: this.#coef.map((w) => [...w]),
    };
  }

  static load(json: LogisticJson): OneVsRestLogistic {
    checkName(json, 'OneVsRestLogistic');
    const m = new OneVsRestLogistic(json.options);
    m.#coef = json.coef.map((w) => [...w]);
    return m;
  }

  dispose(): void {}
}
