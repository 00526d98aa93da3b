/**
 * Seeded synthetic classification data, generated identically by sklearn_reference.py (same
 * mulberry32 stream, same float64 arithmetic) so our forest and scikit-learn's see the same rows.
 */
import { mulberry32 } from '../../features/random.ts';
import type { LabelMatrix } from '../../metrics/label-matrix.ts';
import type { DenseMatrix } from './matrix.ts';

/** Size and seed of a synthetic problem. */
export interface SyntheticSpec {
  seed: number;
  rows: number;
  cols: number;
  labels: number;
  /** Width of the uniform label noise added to the score (0 = separable). */
  noise: number;
}

/**
 * Row by row: cols uniforms in [0, 1) as features, then per label l one uniform u, and
 * label l = [x_l + x_{l+1} + x_{l+2} + noise·(u − 0.5) > 1.5] (feature indices mod cols).
 */
export function makeSynthetic(spec: SyntheticSpec): { x: DenseMatrix; y: LabelMatrix } {
  const { seed, rows, cols, labels, noise } = spec;
  const rng = mulberry32(seed);
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows * labels);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      row[c] = rng();
      data[r * cols + c] = row[c]!;
    }
    for (let l = 0; l < labels; l++) {
      const s =
        row[l % cols]! + row[(l + 1) % cols]! + row[(l + 2) % cols]! + noise * (rng() - 0.5);
      y[r * labels + l] = s > 1.5 ? 1 : 0;
    }
  }
  return { x: { rows, cols, data }, y: { rows, cols: labels, data: y } };
}

/** Rows [from, to) of a dense matrix and of a label matrix. */
export function sliceRows(
  x: DenseMatrix,
  y: LabelMatrix,
  from: number,
  to: number,
): { x: DenseMatrix; y: LabelMatrix } {
  return {
    x: { rows: to - from, cols: x.cols, data: x.data.slice(from * x.cols, to * x.cols) },
    y: { rows: to - from, cols: y.cols, data: y.data.slice(from * y.cols, to * y.cols) },
  };
}
