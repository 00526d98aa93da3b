/**
 * The keyword-analysis workload as one call, for the benchmark harness (bench/benches/) and
 * for a Worker: 7 genre groups × 100 trees on the sparse keyword matrix of a TMDb-5000 CSV.
 */
import { keywordDatasetFromTmdb5000 } from './keywords.ts';
import { OneVsRestForest } from './one-vs-rest.ts';
import { makeSynthetic } from './synthetic.ts';
import type { TrainControl } from './training.ts';

/** What runKeywordForestBench measured: fit time (matrix building excluded) and the problem size. */
export interface KeywordForestBenchResult {
  ms: number;
  trees: number;
  rows: number;
  cols: number;
  nnz: number;
  /** Nodes over all trees (each node keeps 24 bytes of typed arrays). */
  nodes: number;
}

/** Options of runKeywordForestBench. */
export interface KeywordForestBenchOptions {
  /** Trees per label (default 100, the paper's). */
  nEstimators?: number;
  control?: TrainControl;
}

/**
 * Builds the keyword matrix from the CSV text, then times OneVsRestForest (seed 42) on it, with
 * the control's clock when it has one.
 */
export async function runKeywordForestBench(
  csvText: string,
  options: KeywordForestBenchOptions = {},
): Promise<KeywordForestBenchResult> {
  const now = options.control?.nowMs ?? (() => performance.now());
  const ds = keywordDatasetFromTmdb5000(csvText);
  const model = new OneVsRestForest({ nEstimators: options.nEstimators ?? 100, seed: 42 });
  const t0 = now();
  await model.trainAsync(ds.x, ds.labels, options.control);
  const ms = now() - t0;
  const trees = model.forests.flatMap((f) => f.trees);
  return {
    ms,
    trees: trees.length,
    rows: ds.x.rows,
    cols: ds.x.cols,
    nnz: ds.x.indices.length,
    nodes: trees.reduce((n, t) => n + t.nodeCount, 0),
  };
}

/** The dense metadata-model workload: one-vs-rest 7 labels × 100 trees on 6,000 × 30 synthetic rows. */
export async function runDenseForestBench(
  control?: TrainControl,
): Promise<{ ms: number; trees: number; rows: number; cols: number }> {
  // Same rows as `sklearn_reference.py --bench` (makeSynthetic seed 1), so the times compare.
  const { x, y } = makeSynthetic({ seed: 1, rows: 6000, cols: 30, labels: 7, noise: 0.6 });
  const model = new OneVsRestForest({ nEstimators: 100, seed: 42 });
  const t0 = performance.now();
  await model.trainAsync(x, y, control);
  return { ms: performance.now() - t0, trees: 700, rows: x.rows, cols: x.cols };
}
