/**
 * Runs an experiment on movies given in memory (no file or storage access): stratified train/test
 * split grouped by movie key; for each grid point, k-fold cross-validation on the training split
 * (features fitted and rows resampled on each training fold only); refit of the best point on the
 * whole (resampled) training split; one evaluation on the test split.
 */
import type { Movie } from '../data/types.ts';
import {
  PAPER_FEATURES,
  applyFeaturesTabular,
  fitFeatures,
  type FeatureSpec,
  type FeatureTransform,
} from '../features/encode.ts';
import { groupLabels, type GenreGroup } from '../features/groups.ts';
import { resample } from '../features/sampling.ts';
import { assertNoLeak, kFold, trainTestSplit } from '../features/splits.ts';
import { evaluate, takeRows, thresholdScores, type LabelMatrix } from '../metrics/index.ts';
import { MODEL_KINDS, createModel, type ModelParams } from '../models/registry.ts';
import type { ModelJson } from '../models/types.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import {
  SCALAR_METRICS,
  runEnvironment,
  scalars,
  testSection,
  type CvEntry,
  type ExperimentResult,
  type ScalarMetrics,
} from './result.ts';
import { checkSpecAgainstMovies, specGroups, SpecError, type ExperimentSpec } from './spec.ts';
import { formatStep } from '../core/format.ts';

/** One n-th of a grid: shard `index` of `count` (1-based) takes the points p with p % count = index − 1. */
export interface ShardSpec {
  index: number;
  count: number;
}

export interface RunOptions {
  /** Run only this shard's grid points (a partial result, see shards.ts for merging). */
  shard?: ShardSpec;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Clock, injectable for tests. */
  nowMs?: () => number;
}

/**
 * What prediction needs from a metadata run (Predict panel, late fusion): the refit model, its
 * fitted features, labels and thresholds, the out-of-fold probabilities of the training rows (from
 * the best grid point's cross-validation: each row scored by a model that never saw it, so they are
 * validation predictions) and the test rows' probabilities. Probabilities are row-major rows × labels.
 * Optional on ExperimentResult: runs saved before it existed have none.
 */
export interface MetadataPredictor {
  model: ModelJson;
  transform: FeatureTransform;
  groups: GenreGroup[];
  labels: string[];
  thresholds: number[];
  /** Training-split movie keys with their out-of-fold probabilities. */
  oof: { keys: string[]; scores: number[] };
  /** Test-split movie keys with the refit model's probabilities. */
  test: { keys: string[]; scores: number[] };
}

/**
 * Which part of the grid a partial result covers: its cv entries are those of `points` (global
 * grid indices, ascending), its best.index is global, and its test section, predictor and
 * dataset are those of the refit of its own best point.
 */
export interface ShardInfo {
  index: number;
  count: number;
  gridSize: number;
  points: number[];
}

/** A metadata run's result: the shared ExperimentResult plus what prediction needs. */
export type MetadataExperimentResult = ExperimentResult & {
  predictor?: MetadataPredictor;
  /** Present on a partial (sharded) result only. */
  shard?: ShardInfo;
};

/** The grid points of a shard (global indices). Throws RangeError for a bad or empty shard. */
export function shardPoints(gridSize: number, shard: ShardSpec): number[] {
  const { index, count } = shard;
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(index) ||
    index < 1 ||
    index > count
  )
    throw new RangeError(`shard ${index}/${count}: want i/n with 1 ≤ i ≤ n`);
  const points = Array.from({ length: gridSize }, (_, p) => p).filter(
    (p) => p % count === index - 1,
  );
  if (points.length === 0)
    throw new RangeError(
      `shard ${index}/${count} has no grid points: the grid has ${gridSize} point${gridSize === 1 ? '' : 's'}, so use at most ${gridSize} shards`,
    );
  return points;
}

/** The index of the best cv entry: lowest Hamming loss or highest other metric, the first on ties. */
export function bestCvIndex(cv: readonly CvEntry[], metric: keyof ScalarMetrics): number {
  const sign = metric === 'hammingLoss' ? 1 : -1;
  return cv.reduce((b, e, i) => (sign * e.mean[metric] < sign * cv[b]!.mean[metric] ? i : b), 0);
}

/** Every combination of the grid's values over the base params (grid keys in spec order). */
export function gridPoints(
  base: ModelParams,
  grid: Record<string, ModelParams[string][]> = {},
): ModelParams[] {
  return Object.entries(grid).reduce<ModelParams[]>(
    (points, [key, values]) => points.flatMap((p) => values.map((v) => ({ ...p, [key]: v }))),
    [{ ...base }],
  );
}

function featureSpec(spec: ExperimentSpec): FeatureSpec {
  const numeric = spec.features.numeric;
  return {
    numeric: numeric === undefined || numeric === 'paper' ? PAPER_FEATURES.numeric : numeric,
    certificate: spec.features.certificate ?? PAPER_FEATURES.certificate,
    scaling: spec.features.scaling,
    topDirectors: spec.features.topDirectors ?? 0,
    topKeywords: spec.features.topKeywords ?? 0,
  };
}

function meanStd(rows: ScalarMetrics[]): { mean: ScalarMetrics; std: ScalarMetrics } {
  const pick = (f: (vals: number[]) => number) =>
    Object.fromEntries(
      SCALAR_METRICS.map((k) => [k, f(rows.map((r) => r[k]))]),
    ) as unknown as ScalarMetrics;
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return { mean: pick(mean), std: pick((v) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)))) };
}

interface FitContext {
  spec: ExperimentSpec;
  movies: readonly Movie[];
  labels: LabelMatrix;
  signal?: AbortSignal;
  /** A fit's progress: its message and the fraction of the fit done. */
  onStep: (message: string, fraction: number) => void;
}

/** Fits features and model on `trainRows` (resampled), predicts `evalRows`; rows index ctx.movies/labels. */
async function fitAndScore(
  ctx: FitContext,
  params: ModelParams,
  trainRows: number[],
  evalRows: number[],
  keepModel = false,
) {
  const { spec } = ctx;
  assertNoLeak(
    trainRows,
    evalRows,
    ctx.movies.map((m) => m.key),
  );
  const transform = fitFeatures(
    trainRows.map((r) => ctx.movies[r]!),
    featureSpec(spec),
  );
  const sampled = resample(takeRows(ctx.labels, trainRows), {
    method: spec.sampling.method,
    seed: spec.sampling.seed ?? 0,
    percentage: spec.sampling.percentage,
    targetFraction: spec.sampling.targetFraction,
  }).map((i) => trainRows[i]!);
  const trainMovies = sampled.map((r) => ctx.movies[r]!);
  // One-hot columns stay sparse (CSR) into the models: forest and logistic regression read them
  // as such, the others densify (asDense).
  const x = applyFeaturesTabular(transform, trainMovies);
  const model = createModel({
    kind: spec.model.kind,
    params,
    chain: spec.model.chain,
    thresholds: spec.model.thresholds,
  });
  await model.fit(x, takeRows(ctx.labels, sampled), {
    signal: ctx.signal,
    keys: trainMovies.map((m) => m.key),
    onProgress: (p) =>
      ctx.onStep(formatStep(p.message, p.done, p.total), p.total > 0 ? p.done / p.total : 0),
  });
  const xe = applyFeaturesTabular(
    transform,
    evalRows.map((r) => ctx.movies[r]!),
  );
  const scores = await model.predictScores(xe);
  const thresholds = model.thresholds();
  const modelJson = keepModel ? model.toJSON() : null;
  model.dispose();
  const truth = takeRows(ctx.labels, evalRows);
  const report = evaluate(truth, thresholdScores(scores, xe.rows, truth.cols, thresholds));
  return {
    report,
    scores,
    truth,
    thresholds,
    transform,
    modelJson,
    featureNames: transform.names,
    sampledRows: sampled.length,
  };
}

/** Runs the experiment; the result depends only on spec and movies (timings aside). */
export async function runExperiment(
  spec: ExperimentSpec,
  movies: readonly Movie[],
  opts: RunOptions = {},
): Promise<MetadataExperimentResult> {
  const now = opts.nowMs ?? (() => performance.now());
  const start = now();
  const problems = checkSpecAgainstMovies(spec, movies);
  if (problems.length) throw new SpecError(problems);
  const groups = specGroups(spec);
  const grouped = groupLabels(movies, groups);
  const kept = grouped.kept.map((i) => movies[i]!);
  const keys = kept.map((m) => m.key);
  const split = trainTestSplit(grouped.labels, {
    seed: spec.split.seed,
    testFraction: spec.split.testFraction,
    keys,
  });
  const trainLabels = takeRows(grouped.labels, split.train);
  const folds = kFold(trainLabels, {
    k: spec.cv.folds,
    seed: spec.split.seed + 1,
    keys: split.train.map((r) => keys[r]!),
  });
  const kind = MODEL_KINDS[spec.model.kind]!;
  const grid = gridPoints({ ...kind.defaults, ...spec.model.params }, spec.model.grid);
  const globalIndex = opts.shard ? shardPoints(grid.length, opts.shard) : grid.map((_, i) => i);
  const points = globalIndex.map((i) => grid[i]!);
  const tracker = new ProgressTracker(
    'cross-validation',
    points.length * folds.length + 1,
    opts.onProgress ?? (() => {}),
    { nowMs: opts.nowMs },
  );
  let stage = '';
  // The share of the current fit already counted (each fit is one unit of the tracker), so the
  // percentage moves per tree / label / solver iteration instead of per fold. Shares are
  // multiples of 1/1024 so that their sums stay exact and each fit adds exactly 1.
  let counted = 0;
  const ctx: FitContext = {
    spec,
    movies: kept,
    labels: grouped.labels,
    signal: opts.signal,
    onStep: (m, fraction) => {
      const share = Math.max(counted, Math.min(1023, Math.floor(fraction * 1024)) / 1024);
      tracker.tick(share - counted, `${stage}: ${m}`);
      counted = share;
    },
  };
  const fitDone = (message: string) => {
    tracker.tick(1 - counted, message);
    counted = 0;
  };

  const cv: CvEntry[] = [];
  const cols = grouped.labels.cols;
  // Out-of-fold probabilities per grid point, indexed like split.train (the best point's are kept).
  const oofByPoint: Float32Array[] = [];
  for (const [gi, params] of points.entries()) {
    const reports: ScalarMetrics[] = [];
    const oof = new Float32Array(split.train.length * cols);
    for (const [fi, fold] of folds.entries()) {
      opts.signal?.throwIfAborted();
      stage = `grid ${globalIndex[gi]! + 1}/${grid.length}, fold ${fi + 1}/${folds.length}`;
      const { report, scores } = await fitAndScore(
        ctx,
        params,
        fold.train.map((i) => split.train[i]!),
        fold.test.map((i) => split.train[i]!),
      );
      fold.test.forEach((i, r) => oof.set(scores.subarray(r * cols, (r + 1) * cols), i * cols));
      reports.push(scalars(report));
      fitDone(stage);
    }
    cv.push({ params, ...meanStd(reports), folds: reports });
    oofByPoint.push(oof);
  }
  const bestIndex = bestCvIndex(cv, spec.cv.metric ?? 'hammingLoss');
  const best = cv[bestIndex]!;

  stage = 'refit on the training split';
  const fitStart = now();
  const final = await fitAndScore(ctx, best.params, split.train, split.test, true);
  const fitMs = now() - fitStart;
  fitDone('evaluated on the test split');
  tracker.finish('done');

  return {
    spec,
    test: testSection(
      final.report,
      groups.map((g) => g.name),
      final.thresholds,
      { truth: final.truth, scores: final.scores },
    ),
    cv,
    best: { params: best.params, index: globalIndex[bestIndex]! },
    timings: { fitMs, totalMs: now() - start },
    ...runEnvironment(),
    dataset: {
      movies: kept.length,
      dropped: grouped.dropped,
      trainRows: split.train.length,
      testRows: split.test.length,
      sampledTrainRows: final.sampledRows,
      labelNames: groups.map((g) => g.name),
      featureNames: final.featureNames,
    },
    predictor: {
      model: final.modelJson!,
      transform: final.transform,
      groups: groups.map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
      labels: groups.map((g) => g.name),
      thresholds: final.thresholds,
      oof: { keys: split.train.map((r) => keys[r]!), scores: Array.from(oofByPoint[bestIndex]!) },
      test: { keys: split.test.map((r) => keys[r]!), scores: Array.from(final.scores) },
    },
    ...(opts.shard
      ? {
          shard: {
            index: opts.shard.index,
            count: opts.shard.count,
            gridSize: grid.length,
            points: globalIndex,
          },
        }
      : {}),
  };
}
