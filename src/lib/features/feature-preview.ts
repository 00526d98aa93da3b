/** What the encoded feature columns look like over a set of movies: a preview for the Explore panel. */
import type { Movie } from '../data/types.ts';
import { buildFeatures, type FeatureSpec } from './encode.ts';

export interface FeatureColumnSummary {
  name: string;
  /** Share of movies whose raw value was missing (numeric columns with an indicator), else null. */
  missing: number | null;
  min: number;
  mean: number;
  max: number;
}

/** Encodes the movies with `spec` (fitted on these same movies: a preview, not a training run) and summarises each column. */
export function featurePreview(
  movies: readonly Movie[],
  spec: FeatureSpec,
): { rows: number; columns: FeatureColumnSummary[] } {
  const f = buildFeatures(movies, spec);
  const columns: FeatureColumnSummary[] = f.names.map((name, c) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let r = 0; r < f.rows; r++) {
      const v = f.x[r * f.cols + c]!;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return { name, missing: null, min, mean: f.rows ? sum / f.rows : NaN, max };
  });
  // An indicator column "<field>_missing" holds 1 where the value was imputed: its mean is the missing share.
  columns.forEach((col, i) => {
    const next = columns[i + 1];
    if (next?.name === `${col.name}_missing`) col.missing = next.mean;
  });
  return { rows: f.rows, columns: columns.filter((c) => !c.name.endsWith('_missing')) };
}
