/**
 * The keyword-analysis workload as one call, for the benchmark harness (bench/benches/) and
 * for a Worker: 7 genre groups × 100 trees on the sparse keyword matrix of a TMDb-5000 CSV.
 */
import { keywordDatasetFromTmdb5000 } from './keywords.ts';
import { OneVsRestForest } from './one-vs-rest.ts';
import type { TrainControl } from './training.ts';

/** What runKeywordForestBench measured: fit time (matrix building excluded) and the problem size. */
export interface KeywordForestBenchResult {
  ms: number;
  trees: number;
  rows: number;
  cols: number;
  nnz: number;
}

/** Builds the keyword matrix from the CSV text, then times OneVsRestForest (100 trees, seed 42) on it. */
export async function runKeywordForestBench(csvText: string, control?: TrainControl): Promise<KeywordForestBenchResult> {
  const ds = keywordDatasetFromTmdb5000(csvText);
  const model = new OneVsRestForest({ nEstimators: 100, seed: 42 });
  const t0 = performance.now();
  await model.trainAsync(ds.x, ds.labels, control);
  const ms = performance.now() - t0;
  return {
    ms,
    trees: model.forests.reduce((n, f) => n + f.trees.length, 0),
    rows: ds.x.rows,
    cols: ds.x.cols,
    nnz: ds.x.indices.length,
  };
}
