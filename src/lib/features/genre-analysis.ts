/**
 * The Explore panel's computations, as pure functions over movies: genre correlation and its
 * clustering, groups (preset, cut from the tree, or edited), and a sampling preview that, like
 * every experiment, touches the training split only.
 */
import { TMDB_GENRES } from '../data/genres.ts';
import type { Movie } from '../data/types.ts';
import { labelCounts, takeRows } from '../metrics/index.ts';
import {
  correlationDistance,
  cutTree,
  hierarchicalClustering,
  phiCorrelation,
  type ClusterTree,
  type Linkage,
} from './cluster.ts';
import { GENRE_COLUMNS, genreIndicators, groupLabels, type GenreGroup } from './groups.ts';
import { resample, type SamplingOptions } from './sampling.ts';
import { trainTestSplit } from './splits.ts';

/** Genre columns that at least one movie carries, their counts, phi correlations and a clustering. */
export interface GenreAnalysis {
  genreIds: number[];
  names: string[];
  counts: number[];
  corr: number[][];
  tree: ClusterTree;
  movies: number;
  elapsedMs: number;
}

/** Correlates and clusters the genres present in the movies (absent genres would be all-NaN rows). */
export function analyzeGenres(
  movies: readonly Movie[],
  linkage: Linkage = 'average',
  nowMs = () => performance.now(),
): GenreAnalysis {
  const t0 = nowMs();
  const full = genreIndicators(movies);
  const allCounts = labelCounts(full);
  const keep = GENRE_COLUMNS.map((_, c) => c).filter((c) => allCounts[c]! > 0);
  const data = new Uint8Array(full.rows * keep.length);
  for (let r = 0; r < full.rows; r++)
    keep.forEach((c, j) => (data[r * keep.length + j] = full.data[r * full.cols + c]!));
  const m = { rows: full.rows, cols: keep.length, data };
  const corr = phiCorrelation(m);
  const tree = hierarchicalClustering(correlationDistance(corr), linkage);
  const genreIds = keep.map((c) => GENRE_COLUMNS[c]!);
  return {
    genreIds,
    names: genreIds.map((id) => TMDB_GENRES[id] ?? String(id)),
    counts: keep.map((c) => allCounts[c]!),
    corr,
    tree,
    movies: movies.length,
    elapsedMs: nowMs() - t0,
  };
}

/** Groups cut from the genre tree at k clusters, named by their genres. */
export function groupsFromTree(analysis: GenreAnalysis, k: number): GenreGroup[] {
  return cutTree(analysis.tree, Math.min(k, analysis.genreIds.length)).map((members) => ({
    name: members.map((i) => analysis.names[i]).join(', '),
    genreIds: members.map((i) => analysis.genreIds[i]!),
  }));
}

/** Per-group counts and how many movies no group covers. */
export function groupSummary(
  movies: readonly Movie[],
  groups: readonly GenreGroup[],
): { counts: number[]; kept: number; dropped: number } {
  const g = groupLabels(movies, groups);
  return { counts: labelCounts(g.labels), kept: g.kept.length, dropped: g.dropped };
}

/** Label counts of the training split before and after resampling (the test split is never resampled). */
export interface SamplingPreview {
  before: number[];
  after: number[];
  trainRows: number;
  trainRowsAfter: number;
  testRows: number;
}

/** Splits the grouped movies (stratified, seeded, duplicates kept together), resamples the training part only. */
export function samplingPreview(
  movies: readonly Movie[],
  groups: readonly GenreGroup[],
  sampling: SamplingOptions,
  testFraction = 0.2,
): SamplingPreview {
  const g = groupLabels(movies, groups);
  const keys = g.kept.map((i) => movies[i]!.key);
  const split = trainTestSplit(g.labels, { seed: sampling.seed, keys, testFraction });
  const train = takeRows(g.labels, split.train);
  const rows = resample(train, sampling);
  return {
    before: labelCounts(train),
    after: labelCounts(takeRows(train, rows)),
    trainRows: train.rows,
    trainRowsAfter: rows.length,
    testRows: split.test.length,
  };
}
