/**
 * Runs a poster experiment: labels from the movies of the labels CSV, posters through the
 * pipeline (cached per (movie, pipeline, backbone)), backbone features for 'transfer' (cached
 * too), a stratified train/test split, grid points compared on a validation part of the
 * training split, refit of the best on the whole training split, one evaluation on the test
 * split. Returns the metadata runner's ExperimentResult shape plus per-epoch curves and examples.
 */
import * as tf from '@tensorflow/tfjs';
import type { Movie } from '../data/types.ts';
import { PAPER7, groupLabels } from '../features/groups.ts';
import { trainTestSplit } from '../features/splits.ts';
import { evaluate, takeRows, thresholdScores, type LabelMatrix } from '../metrics/index.ts';
import { BACKBONES, extractFeatures, type BackboneName } from '../models/poster/backbones.ts';
import { posterInput } from '../models/poster/kinds.ts';
import { eigenpostersRecord, type EigenpostersRecord, type PcaFit } from '../models/poster/pca.ts';
import {
  selectRows,
  type EpochLog,
  type PosterFitOptions,
  type Rows,
  type StreamedRows,
  type TrainOptions,
} from '../models/poster/trainer.ts';
import { fineTuneAndPredict, type TransferHead } from '../models/poster/transfer.ts';
import { NO_AUGMENT } from '../vision/augment.ts';
import { MODEL_KINDS, createModel, type ModelParams } from '../models/registry.ts';
import { takeDenseRows, type DenseMatrix } from '../models/types.ts';
import { cachedMap, stackArrays, type PosterCache } from '../vision/cache.ts';
import {
  decodePoster,
  posterCacheKey,
  type ImageDecoder,
  type PipelineSpec,
} from '../vision/pipeline.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import type { AnyPosterSpec } from './poster-spec.ts';
import {
  SCALAR_METRICS,
  runEnvironment,
  scalars,
  testSection,
  type CvEntry,
  type ExperimentResult,
  type ScalarMetrics,
} from './result.ts';
import { gridPoints } from './runner.ts';

/** Where posters come from; the CLI reads files, the worker reads the library. */
export interface PosterSource {
  /** Poster bytes of a movie, or null when it has none. */
  read(movie: Movie): Promise<Uint8Array | null>;
  decode: ImageDecoder;
  cache: PosterCache;
  /** A loaded backbone (the caller knows where weights live). */
  backbone?: (name: BackboneName) => Promise<tf.LayersModel>;
}

export interface PosterRunOptions {
  onProgress?: ProgressFn;
  onEpochEnd?: (run: string, log: EpochLog) => void;
  signal?: AbortSignal;
  nowMs?: () => number;
}

/** A poster result: the shared shape plus curves of the final fit and test examples. */
export type PosterExperimentResult = ExperimentResult & {
  posters: {
    curves: EpochLog[];
    examples: { movieKey: string; truth: string[]; predicted: string[] }[];
    fromCache: number;
    pcaComponents?: number;
    explainedVarianceRatio?: number[];
    /** PCA baseline: the first 12 principal components as images ("eigenposters"), row-major height × width (gray). */
    eigenposters?: EigenpostersRecord;
    /**
     * 'transfer' with fineTuneEpochs > 0: the test metrics above are the fine-tuned model's;
     * `curves` holds the head's epochs, then the fine-tuning's from `fromEpoch` on.
     */
    fineTune?: { fromEpoch: number; epochs: number; bestEpoch: number; headTest: ScalarMetrics };
  };
};

async function loadInputs(
  movies: readonly Movie[],
  pipeline: PipelineSpec,
  backbone: BackboneName | null,
  src: PosterSource,
  opts: PosterRunOptions,
  tick: (m: string) => void,
): Promise<{ x: DenseMatrix; fromCache: number }> {
  const keys = movies.map((m) => m.key);
  const image = async (i: number) => {
    const bytes = await src.read(movies[i]!);
    if (!bytes) throw new Error(`no poster for ${keys[i]}`);
    const t = await decodePoster(bytes, pipeline, src.decode);
    return { data: t.data, shape: [t.height, t.width, t.channels] };
  };
  if (!backbone) {
    const r = await cachedMap(keys, pipeline, 'none', src.cache, image, {
      signal: opts.signal,
      onProgress: (d, n, c) => d % 50 === 0 && tick(`posters ${d}/${n} (${c} cached)`),
    });
    const s = stackArrays(r.arrays);
    return {
      x: { rows: keys.length, cols: s.data.length / keys.length, data: s.data },
      fromCache: r.fromCache,
    };
  }
  if (!src.backbone) throw new Error(`backbone ${backbone} needs weights: none were provided`);
  const model = await src.backbone(backbone);
  const def = BACKBONES[backbone];
  const feats: Float32Array[] = new Array(keys.length);
  let fromCache = 0;
  const missing: number[] = [];
  for (const [i, k] of keys.entries()) {
    const hit = await src.cache.get(posterCacheKey(k, pipeline, backbone));
    if (hit) {
      feats[i] = hit.data;
      fromCache++;
    } else missing.push(i);
  }
  const batch = 16;
  for (let s = 0; s < missing.length; s += batch) {
    opts.signal?.throwIfAborted();
    const idx = missing.slice(s, s + batch);
    const imgs = await Promise.all(idx.map(image));
    const t = tf.tensor4d(stackArrays(imgs).data, [idx.length, pipeline.height, pipeline.width, 3]);
    const f = await extractFeatures(model, def, t);
    t.dispose();
    for (const [j, i] of idx.entries()) {
      feats[i] = f.data.slice(j * f.dims, (j + 1) * f.dims);
      await src.cache.put(posterCacheKey(keys[i]!, pipeline, backbone), keys[i]!, {
        data: feats[i]!,
        shape: [f.dims],
      });
    }
    tick(
      `${backbone} features ${Math.min(s + batch, missing.length)}/${missing.length} (${fromCache} cached)`,
    );
  }
  const s = stackArrays(feats.map((d) => ({ data: d, shape: [d.length] })));
  return { x: { rows: keys.length, cols: s.shape[1] ?? 0, data: s.data }, fromCache };
}

/** A model that trains and scores on rows of any source (the poster CNN). */
interface RowsModel {
  fitRows(x: Rows, y: LabelMatrix, opts?: PosterFitOptions): Promise<void>;
  scoreRows(x: Rows): Promise<Float32Array>;
}

function readsRows(m: object): m is RowsModel {
  return 'fitRows' in m && 'scoreRows' in m;
}

/** Runs a poster experiment on the labelled movies (those without a poster are left out). */
export async function runPosterExperiment(
  spec: AnyPosterSpec,
  allMovies: readonly Movie[],
  src: PosterSource,
  opts: PosterRunOptions = {},
): Promise<PosterExperimentResult> {
  const now = opts.nowMs ?? (() => performance.now());
  const start = now();
  const groups = spec.labels.groups === 'paper7' ? PAPER7 : spec.labels.groups;
  const withPoster: Movie[] = [];
  for (const m of allMovies) {
    if (spec.limit !== undefined && withPoster.length >= spec.limit * 1.3) break;
    if ((await src.read(m)) !== null) withPoster.push(m);
  }
  const grouped = groupLabels(withPoster, groups);
  const kept = grouped.kept.slice(0, spec.limit ?? Infinity).map((i) => withPoster[i]!);
  const labels = takeRows(
    grouped.labels,
    kept.map((_, i) => i),
  );
  const kind = MODEL_KINDS[spec.model.kind]!;
  const base = { ...kind.defaults, ...spec.model.params };
  const points = gridPoints(base, spec.model.grid);
  // Progress is counted in epochs (a fit without epochs, e.g. PCA + SVM, counts as one), plus one
  // unit for reading the inputs, so the bar moves during long fits instead of once per grid point.
  const epochsOf = (p: ModelParams) => Math.max(1, Number(p.epochs ?? 1) || 1);
  const fineTuneOf = (p: ModelParams) =>
    spec.model.kind === 'transfer' ? Math.max(0, Number(p.fineTuneEpochs ?? 0) || 0) : 0;
  const gridUnits = points.length > 1 ? points.reduce((n, p) => n + epochsOf(p), 0) : 0;
  const tracker = new ProgressTracker(
    'posters',
    1 + gridUnits + epochsOf(points[0]!) + fineTuneOf(points[0]!),
    opts.onProgress ?? (() => {}),
    { nowMs: opts.nowMs },
  );
  /** A progress callback crediting `units` to the tracker as a fit reports done/total. */
  const credit = (units: number, run: string) => {
    let given = 0;
    return {
      onProgress: (p: { done: number; total: number | null; message?: string }) => {
        const share = p.total ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
        const d = Math.max(given, share * units);
        tracker.tick(
          d - given,
          `${run}: ${p.message ?? ''} ${p.done.toFixed(1)}/${p.total ?? '?'}`,
        );
        given = d;
      },
      /** Credits what is left (early stopping ends a fit before its last epoch). */
      end: () => {
        tracker.tick(units - given);
        given = units;
      },
    };
  };
  const { pipeline, backbone } = posterInput(spec.model.kind, base);
  const { x, fromCache } = await loadInputs(kept, pipeline, backbone, src, opts, (m) =>
    tracker.tick(0, m),
  );
  tracker.tick(1, 'inputs ready');
  const keys = kept.map((m) => m.key);
  const split = trainTestSplit(labels, {
    seed: spec.split.seed,
    testFraction: spec.split.testFraction,
    keys,
  });

  /**
   * Stage 2 of 'transfer': the backbone's last block + the trained head, trained on the images of
   * trainRows (its early stopping holds out part of them; evalRows are only predicted). Its epochs
   * continue the head's curve.
   */
  const fineTuneStage = async (
    head: TransferHead,
    params: ModelParams,
    trainRows: number[],
    evalRows: number[],
    curves: EpochLog[],
    run: string,
  ) => {
    if (!backbone || !src.backbone || !head.model) throw new Error('fine-tuning needs a backbone');
    const net = await src.backbone(backbone);
    // Images at the backbone's size are read through the cache but not written to it: 224×224×3
    // floats are 600 kB a poster, too much to keep in IndexedDB for every movie. Nor are they
    // held in memory (6,826 posters would need 3.8 GB): each batch is read and decoded when the
    // trainer asks for it, so memory stays at a few batches whatever the number of posters.
    const readOnly: PosterSource = {
      ...src,
      cache: { get: (k) => src.cache.get(k), put: async () => {} },
    };
    const images = (rows: readonly number[]): StreamedRows => ({
      rows: rows.length,
      rowShape: [pipeline.height, pipeline.width, 3],
      take: async (idx) => {
        const r = await loadInputs(
          idx.map((i) => kept[rows[i]!]!),
          pipeline,
          null,
          readOnly,
          opts,
          () => {},
        );
        return tf.tensor4d(r.x.data, [idx.length, pipeline.height, pipeline.width, 3]);
      },
    });
    const train = images(trainRows);
    const test = images(evalRows);
    const o: TrainOptions = {
      epochs: params.fineTuneEpochs as number,
      learningRate: params.fineTuneLearningRate as number,
      batchSize: params.batchSize as number,
      optimizer: params.optimizer as TrainOptions['optimizer'],
      validationFraction: params.validationFraction as number,
      patience: params.patience as number,
      seed: params.seed as number,
      loss: 'binary',
      augment: NO_AUGMENT,
    };
    const fromEpoch = curves.length + 1;
    const headMs = curves.at(-1)?.elapsedMs ?? 0;
    const ftProgress = credit(fineTuneOf(params), `${run}: fine-tune`);
    const r = await fineTuneAndPredict(
      net,
      BACKBONES[backbone],
      head.model,
      train,
      takeRows(labels, trainRows),
      test,
      o,
      {
        signal: opts.signal,
        onProgress: ftProgress.onProgress,
        onEpochEnd: (l) => {
          const log = { ...l, epoch: l.epoch + fromEpoch - 1, elapsedMs: l.elapsedMs + headMs };
          curves.push(log);
          opts.onEpochEnd?.(run, log);
        },
      },
    );
    ftProgress.end();
    return { scores: r.scores, fromEpoch, bestEpoch: r.bestEpoch + fromEpoch - 1 };
  };

  const fitScore = async (
    params: ModelParams,
    trainRows: number[],
    evalRows: number[],
    run: string,
    stage2 = false,
  ) => {
    opts.signal?.throwIfAborted();
    const model = createModel({ kind: spec.model.kind, params });
    const curves: EpochLog[] = [];
    const fitProgress = credit(epochsOf(params), run);
    const fitOpts: PosterFitOptions = {
      signal: opts.signal,
      onProgress: fitProgress.onProgress,
      onEpochEnd: (l) => {
        curves.push(l);
        opts.onEpochEnd?.(run, l);
      },
    };
    // try/finally: a cancelled or failed fit must still free the model's weights.
    try {
      // Pixel rows are large (44,400 floats a poster at 148×100 RGB): a model that reads rows
      // through a source gets selections of x, not copies of the training and evaluation rows.
      const rowsModel = readsRows(model) ? model : null;
      const image = [pipeline.height, pipeline.width, pipeline.color === 'gray' ? 1 : 3];
      const selection = (rows: number[]) =>
        selectRows({ data: x.data, rowShape: image, rows: x.rows }, rows);
      if (rowsModel)
        await rowsModel.fitRows(selection(trainRows), takeRows(labels, trainRows), fitOpts);
      else await model.fit(takeDenseRows(x, trainRows), takeRows(labels, trainRows), fitOpts);
      fitProgress.end();
      const scores = rowsModel
        ? await rowsModel.scoreRows(selection(evalRows))
        : await model.predictScores(takeDenseRows(x, evalRows));
      const truth = takeRows(labels, evalRows);
      const predicted = thresholdScores(scores, evalRows.length, truth.cols, model.thresholds());
      const extra = model as { k?: number; pca?: PcaFit | null };
      const pca = extra.pca
        ? {
            pcaComponents: extra.k,
            explainedVarianceRatio: extra.pca.explainedVarianceRatio,
            eigenposters: eigenpostersRecord(extra.pca, pipeline.height, pipeline.width),
          }
        : {};
      const thresholds = model.thresholds();
      const report = evaluate(truth, predicted);
      if (!stage2) return { report, predicted, scores, thresholds, curves, pca };
      const tuned = await fineTuneStage(
        model as TransferHead,
        params,
        trainRows,
        evalRows,
        curves,
        run,
      );
      const tunedPredicted = thresholdScores(tuned.scores, evalRows.length, truth.cols, thresholds);
      return {
        report: evaluate(truth, tunedPredicted),
        predicted: tunedPredicted,
        scores: tuned.scores,
        thresholds,
        curves,
        pca,
        fineTune: {
          fromEpoch: tuned.fromEpoch,
          epochs: curves.length - tuned.fromEpoch + 1,
          bestEpoch: tuned.bestEpoch,
          headTest: scalars(report),
        },
      };
    } finally {
      model.dispose();
    }
  };

  const cv: CvEntry[] = [];
  if (points.length > 1) {
    // Grid points are compared on a validation part of the training split only.
    const trainLabels = takeRows(labels, split.train);
    const inner = trainTestSplit(trainLabels, {
      seed: spec.split.seed + 1,
      testFraction: spec.validation?.fraction ?? 0.2,
      keys: split.train.map((r) => keys[r]!),
    });
    for (const [gi, params] of points.entries()) {
      const r = await fitScore(
        params,
        inner.train.map((i) => split.train[i]!),
        inner.test.map((i) => split.train[i]!),
        `grid ${gi + 1}/${points.length}`,
      );
      const m = scalars(r.report);
      cv.push({
        params,
        mean: m,
        std: Object.fromEntries(SCALAR_METRICS.map((k) => [k, 0])) as unknown as ScalarMetrics,
        folds: [m],
      });
      tracker.tick(0, `grid ${gi + 1}/${points.length}`);
    }
  }
  const bestIndex = cv.reduce(
    (b, e, i) => (e.mean.hammingLoss < cv[b]!.mean.hammingLoss ? i : b),
    0,
  );
  const bestParams = points[bestIndex]!;
  tracker.setTotal(tracker.done + epochsOf(bestParams) + fineTuneOf(bestParams));
  const fitStart = now();
  // Stage 2 runs on the final fit only: grid points are compared on the head alone.
  const stage2 = spec.model.kind === 'transfer' && Number(bestParams.fineTuneEpochs ?? 0) > 0;
  const final = await fitScore(bestParams, split.train, split.test, 'final', stage2);
  const fitMs = now() - fitStart;
  tracker.finish('done');
  const names = groups.map((g) => g.name);
  const labelsOf = (m: LabelMatrix, r: number) => names.filter((_, c) => m.data[r * m.cols + c]);
  const truth = takeRows(labels, split.test);
  return {
    spec,
    test: testSection(final.report, names, final.thresholds, { truth, scores: final.scores }),
    cv,
    best: { params: bestParams, index: bestIndex },
    timings: { fitMs, totalMs: now() - start },
    ...runEnvironment(),
    dataset: {
      movies: kept.length,
      dropped: grouped.dropped,
      trainRows: split.train.length,
      testRows: split.test.length,
      sampledTrainRows: split.train.length,
      labelNames: names,
      featureNames: [
        backbone
          ? `${backbone} features (${x.cols})`
          : `pixels ${pipeline.height}×${pipeline.width} ${pipeline.color}`,
      ],
    },
    posters: {
      curves: final.curves,
      examples: split.test.slice(0, 12).map((r, i) => ({
        movieKey: keys[r]!,
        truth: labelsOf(truth, i),
        predicted: labelsOf(final.predicted, i),
      })),
      fromCache,
      ...final.pca,
      ...('fineTune' in final ? { fineTune: final.fineTune } : {}),
    },
  };
}
