/** The one shape every multi-label model of the studio has, whatever its kind. */
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import { isMixed, type DenseMatrix, type TabularMatrix } from './classic/matrix.ts';

export type { DenseMatrix, TabularMatrix } from './classic/matrix.ts';

/** Work done out of a total (units are the model's own: trees, epochs, labels). */
export interface FitProgress {
  done: number;
  total: number;
  message?: string;
}

/** Controls of a fit: cancellation is checked between steps (trees, epochs, labels). */
export interface FitOptions {
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
  /** Movie key per row: inner splits (threshold tuning) keep a movie's copies together. */
  keys?: readonly string[];
}

/** A serialised model: plain JSON with a `name` tag naming its class. */
export interface ModelJson {
  name: string;
}

/**
 * A multi-label model. `predictScores` returns row-major rows × labels probabilities in [0, 1]
 * and is async because tfjs reads results with `await t.data()` (dataSync returns zeros on
 * webgpu here) and libsvm's wasm module is instantiated on first use.
 */
export interface MultiLabelModel {
  readonly name: string;
  /** Dense, or dense + sparse one-hot columns (models that need dense call asDense). */
  fit(x: TabularMatrix, y: LabelMatrix, opts?: FitOptions): Promise<void>;
  predictScores(x: TabularMatrix): Promise<Float32Array>;
  /** Decision threshold per label (0.5 unless tuned). */
  thresholds(): number[];
  toJSON(): ModelJson;
  dispose(): void;
}

/** Throws RangeError unless the rows of x and y agree. */
export function checkFitShapes(x: TabularMatrix, y: LabelMatrix): void {
  if (isMixed(x)) {
    if (x.dense.rows !== x.rows || x.sparse.rows !== x.rows)
      throw new RangeError(
        `x parts have ${x.dense.rows} and ${x.sparse.rows} rows, expected ${x.rows}`,
      );
  } else if (x.data.length !== x.rows * x.cols)
    throw new RangeError(`x has ${x.data.length} values, expected ${x.rows}×${x.cols}`);
  if (y.rows !== x.rows) throw new RangeError(`${y.rows} label rows for ${x.rows} feature rows`);
  if (x.rows === 0) throw new RangeError('no training rows');
}

/** Throws RangeError unless json is tagged with the expected name. */
export function checkName(json: { name?: unknown } | null | undefined, expected: string): void {
  if (!json || json.name !== expected)
    throw new RangeError(`invalid model: expected ${expected}, got ${String(json?.name)}`);
}

/** Rows of a dense matrix, in the order given (repeats allowed). */
export function takeDenseRows(x: DenseMatrix, rows: readonly number[]): DenseMatrix {
  const data = new Float32Array(rows.length * x.cols);
  rows.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { rows: rows.length, cols: x.cols, data };
}

/** Column c of a label matrix as 0/1 bytes. */
export function labelColumn(y: LabelMatrix, c: number): Uint8Array {
  const out = new Uint8Array(y.rows);
  for (let r = 0; r < y.rows; r++) out[r] = y.data[r * y.cols + c] ? 1 : 0;
  return out;
}
