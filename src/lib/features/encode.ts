/**
 * Numeric features of a movie as in the paper: counts and scores, release date parts and the
 * certificate one-hot. Everything data-dependent (medians for imputation, scaling) is FITTED on
 * the training movies and stored in a plain-data FeatureTransform, which is then applied
 * unchanged to test movies (and can cross a worker boundary or be saved as JSON).
 */
import type { Movie } from '../data/types.ts';
import {
  mixed,
  sparseFromLists,
  type DenseMatrix,
  type TabularMatrix,
} from '../models/classic/matrix.ts';
import { CERTIFICATES, reduceCertificate } from './certificate.ts';

/** The numeric columns, in the paper's order (PAPER_FEATURES, the library profile, Train's form). */
export const NUMERIC_FIELDS = [
  'popularity',
  'voteCount',
  'voteAverage',
  'imdbVotes',
  'numStunts',
  'numFx',
  'year',
  'month',
  'decade',
] as const;
/** Numeric columns that can be built from a Movie. */
export type NumericField = (typeof NUMERIC_FIELDS)[number];

/** How numeric columns are rescaled (with statistics of the training movies). */
export type Scaling = 'raw' | 'standardize' | 'minmax';

export interface FeatureSpec {
  numeric: readonly NumericField[];
  certificate: boolean;
  scaling: Scaling;
  /** One-hot of the k most frequent directors in the training movies (0 or absent: none). */
  topDirectors?: number;
  /** One-hot of the k most frequent keywords in the training movies (0 or absent: none). */
  topKeywords?: number;
}

/** The paper's features: every numeric field (those absent from the training data are left out) and the certificate. */
export const PAPER_FEATURES: FeatureSpec = {
  numeric: NUMERIC_FIELDS,
  certificate: true,
  scaling: 'standardize',
};

/** A fitted numeric column: impute with the training median, then (x − center) / scale. */
export interface NumericColumn {
  field: NumericField;
  median: number;
  /** Whether a 0/1 "was missing" column follows (some training movie lacked the value). */
  indicator: boolean;
  center: number;
  scale: number;
}

/** Everything needed to turn movies into the same columns as the training data. */
export interface FeatureTransform {
  numeric: NumericColumn[];
  certificate: boolean;
  /** Directors and keywords with a column each, in column order (fitted on training movies). */
  directors?: string[];
  keywords?: string[];
  names: string[];
}

/** A dense row-major feature matrix with column names. */
export interface FeatureMatrix {
  x: Float32Array;
  rows: number;
  cols: number;
  names: string[];
}

function dateParts(m: Movie): { year?: number; month?: number } {
  const match = /^(\d{4})-(\d{2})/.exec(m.releaseDate ?? '');
  return {
    year: m.year ?? (match ? Number(match[1]) : undefined),
    month: m.month ?? (match ? Number(match[2]) : undefined),
  };
}

/** The raw value of a field, or undefined when missing (NaN and ±Infinity count as missing). */
export function fieldValue(m: Movie, field: NumericField): number | undefined {
  let v: number | undefined;
  if (field === 'year' || field === 'month') v = dateParts(m)[field];
  else if (field === 'decade') {
    const y = dateParts(m).year;
    v = y === undefined ? undefined : Math.floor(y / 10) * 10;
  } else v = m[field];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function fitColumn(
  values: number[],
  field: NumericField,
  missing: number,
  scaling: Scaling,
): NumericColumn {
  const sorted = [...values].sort((a, b) => a - b);
  const med = median(sorted);
  // statistics over the imputed column, as the model will see it
  const filled = [...values, ...new Array<number>(missing).fill(med)];
  let center = 0;
  let scale = 1;
  if (scaling === 'standardize') {
    center = filled.reduce((s, v) => s + v, 0) / filled.length;
    const sd = Math.sqrt(filled.reduce((s, v) => s + (v - center) ** 2, 0) / filled.length);
    scale = sd > 0 ? sd : 1; // a constant column stays 0 instead of NaN
  } else if (scaling === 'minmax') {
    center = sorted[0]!;
    const range = sorted[sorted.length - 1]! - center;
    scale = range > 0 ? range : 1;
  }
  return { field, median: med, indicator: missing > 0, center, scale };
}

/**
 * Fits the transform on TRAINING movies. A numeric field no training movie has is left out;
 * one some lack gets a "<field>_missing" indicator column after it.
 */
export function fitFeatures(train: readonly Movie[], spec: FeatureSpec): FeatureTransform {
  const numeric: NumericColumn[] = [];
  for (const field of spec.numeric) {
    const values = train
      .map((m) => fieldValue(m, field))
      .filter((v): v is number => v !== undefined);
    if (values.length === 0) continue;
    numeric.push(fitColumn(values, field, train.length - values.length, spec.scaling));
  }
  const names = numeric.flatMap((c) => (c.indicator ? [c.field, `${c.field}_missing`] : [c.field]));
  if (spec.certificate) names.push(...CERTIFICATES.map((c) => `certificate=${c}`));
  const directors = topK(
    train.map((m) => (m.director ? [m.director] : [])),
    spec.topDirectors ?? 0,
  );
  const keywords = topK(
    train.map((m) => m.keywords),
    spec.topKeywords ?? 0,
  );
  names.push(...directors.map((d) => `director=${d}`), ...keywords.map((k) => `keyword=${k}`));
  return {
    numeric,
    certificate: spec.certificate,
    names,
    ...(directors.length ? { directors } : {}),
    ...(keywords.length ? { keywords } : {}),
  };
}

/** The k most frequent values over the lists (ties broken alphabetically, so the choice is stable). */
function topK(lists: readonly (readonly string[])[], k: number): string[] {
  if (k <= 0) return [];
  const counts = new Map<string, number>();
  for (const list of lists) for (const v of new Set(list)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k)
    .map(([v]) => v);
}

/** Applies a fitted transform; missing values get the training median (and indicator 1). */
export function applyFeatures(t: FeatureTransform, movies: readonly Movie[]): FeatureMatrix {
  const cols = t.names.length;
  const x = new Float32Array(movies.length * cols);
  movies.forEach((m, r) => {
    let c = r * cols;
    for (const col of t.numeric) {
      const v = fieldValue(m, col.field);
      x[c++] = ((v ?? col.median) - col.center) / col.scale;
      if (col.indicator) x[c++] = v === undefined ? 1 : 0;
    }
    if (t.certificate) {
      x[c + CERTIFICATES.indexOf(reduceCertificate(m.certificate))] = 1;
      c += CERTIFICATES.length;
    }
    if (t.directors) {
      const d = m.director === undefined ? -1 : t.directors.indexOf(m.director);
      if (d >= 0) x[c + d] = 1;
      c += t.directors.length;
    }
    if (t.keywords) {
      for (const k of m.keywords) {
        const i = t.keywords.indexOf(k);
        if (i >= 0) x[c + i] = 1;
      }
    }
  });
  return { x, rows: movies.length, cols, names: [...t.names] };
}

/**
 * The same columns as applyFeatures, kept sparse where they are one-hots: numeric and certificate
 * columns dense, director and keyword indicators as a CSR part after them (a MixedMatrix). Without
 * director or keyword columns the result is the dense matrix. ~1,200 one-hot columns of ~4,000
 * movies hold ~20 ones a row, so models that read the sparse part (forest, logistic regression)
 * cost O(ones) instead of O(rows × cols).
 */
export function applyFeaturesTabular(t: FeatureTransform, movies: readonly Movie[]): TabularMatrix {
  const nDirectors = t.directors?.length ?? 0;
  const nKeywords = t.keywords?.length ?? 0;
  const denseCols = t.names.length - nDirectors - nKeywords;
  const data = new Float32Array(movies.length * denseCols);
  const directorIndex = new Map((t.directors ?? []).map((d, i) => [d, i]));
  const keywordIndex = new Map((t.keywords ?? []).map((k, i) => [k, nDirectors + i]));
  const lists: number[][] = [];
  movies.forEach((m, r) => {
    let c = r * denseCols;
    for (const col of t.numeric) {
      const v = fieldValue(m, col.field);
      data[c++] = ((v ?? col.median) - col.center) / col.scale;
      if (col.indicator) data[c++] = v === undefined ? 1 : 0;
    }
    if (t.certificate) data[c + CERTIFICATES.indexOf(reduceCertificate(m.certificate))] = 1;
    const ones: number[] = [];
    const d = m.director === undefined ? undefined : directorIndex.get(m.director);
    if (d !== undefined) ones.push(d);
    for (const k of m.keywords) {
      const i = keywordIndex.get(k);
      if (i !== undefined) ones.push(i);
    }
    lists.push(ones);
  });
  const dense: DenseMatrix = { rows: movies.length, cols: denseCols, data };
  if (nDirectors + nKeywords === 0) return dense;
  return mixed(dense, sparseFromLists(lists, nDirectors + nKeywords));
}

/** Fits on the given (training) movies and encodes them; apply `transform` to the test movies. */
export function buildFeatures(
  movies: readonly Movie[],
  spec: FeatureSpec,
): FeatureMatrix & { transform: FeatureTransform } {
  const transform = fitFeatures(movies, spec);
  return { ...applyFeatures(transform, movies), transform };
}
