/** Seeded synthetic multi-label data for model tests. */
import { mulberry32 } from '../lib/features/random.ts';
import type { LabelMatrix } from '../lib/metrics/label-matrix.ts';
import type { DenseMatrix } from '../lib/models/types.ts';

/**
 * rows × features in ±[0.5, 1.5] (uniform); label c is on when feature c is positive, so every
 * label is linearly separable with a margin of 1 around 0.
 */
export function separableData(
  rows: number,
  features: number,
  labels: number,
  seed: number,
): { x: DenseMatrix; y: LabelMatrix } {
  const rng = mulberry32(seed);
  const x = new Float32Array(rows * features);
  const y = new Uint8Array(rows * labels);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) x[r * features + f] = (rng() < 0.5 ? -1 : 1) * (0.5 + rng());
    for (let c = 0; c < labels; c++) y[r * labels + c] = x[r * features + c]! > 0 ? 1 : 0;
  }
  return { x: { rows, cols: features, data: x }, y: { rows, cols: labels, data: y } };
}
