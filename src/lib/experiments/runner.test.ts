import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMoviesCsv } from '../data/csv.ts';
import type { Movie } from '../data/types.ts';
import { PAPER7, groupLabels } from '../features/groups.ts';
import { mulberry32 } from '../features/random.ts';
import { applyFeatures } from '../features/encode.ts';
import { OneVsRestLogistic, loadModel, registerModelKind } from '../models/node.ts';
import type { DenseMatrix, MultiLabelModel } from '../models/types.ts';
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import { rankingMetrics, scoreCurves, thresholdScores } from '../metrics/index.ts';
import { gridPoints, runExperiment } from './runner.ts';
import { parseSpec, SpecError, type ExperimentSpec } from './spec.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';

const CSV = sharedUrl('data/metadata/tmdb-imdb-2011-2016.csv');
const noData = missingShared(
  import.meta.url,
  'runExperiment end to end on a slice of the real tmdb-imdb CSV',
  'data/metadata/tmdb-imdb-2011-2016.csv',
);
let slice: Movie[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  if (noData) return;
  const parsed = await parseMoviesCsv(new Uint8Array(readFileSync(CSV)), {
    source: 'tmdb-imdb-2011-2016.csv',
  });
  slice = parsed.movies.filter((_, i) => i % 15 === 0); // 400 movies across all six years
});

const SPEC: ExperimentSpec = parseSpec({
  name: 'logistic on a slice',
  data: { movies: 'tmdb-imdb-2011-2016.csv' },
  labels: { groups: 'paper7' },
  features: {
    numeric: ['popularity', 'voteCount', 'voteAverage', 'year', 'month'],
    certificate: false,
    scaling: 'standardize',
  },
  sampling: { method: 'ml-ros', seed: 3, percentage: 10 },
  model: { kind: 'logistic', grid: { C: [0.1, 1] } },
  cv: { folds: 2 },
  split: { testFraction: 0.25, seed: 1 },
});

describe.skipIf(noData)('runExperiment', () => {
  it('runs a spec end to end on a real CSV slice: split sizes, grid, fractions in [0, 1]', async () => {
    const phases = new Set<string>();
    let t = 0;
    const clock = () => (t += 1000); // a second per reading, so every step passes the report throttle
    const r = await runExperiment(SPEC, slice, {
      onProgress: (p) => phases.add(p.message ?? ''),
      nowMs: clock,
    });
    expect(r.dataset.movies + r.dataset.dropped).toBe(slice.length);
    expect(r.dataset.trainRows + r.dataset.testRows).toBe(r.dataset.movies);
    expect(r.dataset.testRows / r.dataset.movies).toBeCloseTo(0.25, 1);
    expect(r.dataset.sampledTrainRows).toBeGreaterThan(r.dataset.trainRows); // ML-ROS clones
    expect(r.dataset.labelNames).toEqual(PAPER7.map((g) => g.name));
    expect(r.dataset.featureNames).toEqual([
      'popularity',
      'voteCount',
      'voteAverage',
      'year',
      'month',
    ]);
    expect(r.cv.map((c) => c.params.C)).toEqual([0.1, 1]);
    expect(r.cv.every((c) => c.folds.length === 2)).toBe(true);
    const bestHl = Math.min(...r.cv.map((c) => c.mean.hammingLoss));
    expect(r.cv[r.best.index]!.mean.hammingLoss).toBe(bestHl);
    for (const v of [
      r.test.hammingLoss,
      r.test.exactMatch,
      r.test.atLeastOne,
      r.test.microF1,
      r.test.macroF1,
      r.test.samplesF1,
    ])
      expect(v >= 0 && v <= 1).toBe(true);
    expect(r.test.perLabel).toHaveLength(7);
    expect(r.backend).toBe('cpu');
    expect(r.versions['libsvm-js']).toBe('0.2.1');
    expect([...phases].some((m) => m.includes('fold 2/2'))).toBe(true);
  });

  it('gives the identical result for the same spec and seeds', async () => {
    const clock = () => 0; // timings aside, everything must match
    const a = await runExperiment(SPEC, slice, { nowMs: clock });
    const b = await runExperiment(SPEC, slice, { nowMs: clock });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = await runExperiment({ ...SPEC, split: { ...SPEC.split, seed: 2 } }, slice, {
      nowMs: clock,
    });
    expect(JSON.stringify(c.test)).not.toBe(JSON.stringify(a.test));
  });

  it('keeps a predictor: the reloaded model reproduces the test probabilities; OOF covers every training row', async () => {
    const r = await runExperiment(SPEC, slice, { nowMs: () => 0 });
    const p = r.predictor!;
    expect(p.labels).toEqual(r.dataset.labelNames);
    expect(p.thresholds).toEqual(r.test.thresholds);
    expect(p.oof.keys).toHaveLength(r.dataset.trainRows);
    expect(p.test.keys).toHaveLength(r.dataset.testRows);
    expect(new Set([...p.oof.keys, ...p.test.keys]).size).toBe(r.dataset.movies); // disjoint
    expect(p.oof.scores).toHaveLength(r.dataset.trainRows * 7);
    expect(p.test.scores).toHaveLength(r.dataset.testRows * 7);
    // Every training row was scored by exactly one fold: no row keeps the zero fill.
    for (let row = 0; row < p.oof.keys.length; row++)
      expect(p.oof.scores.slice(row * 7, row * 7 + 7).some((v) => v > 0)).toBe(true);
    // Through JSON (as saved), reload and score the test movies again from the library rows.
    const saved = JSON.parse(JSON.stringify(p)) as typeof p;
    const byKey = new Map(slice.map((m) => [m.key, m]));
    const x = applyFeatures(
      saved.transform,
      saved.test.keys.map((k) => byKey.get(k)!),
    );
    const model = loadModel(saved.model);
    const again = await model.predictScores({ rows: x.rows, cols: x.cols, data: x.x });
    expect(again).toHaveLength(saved.test.scores.length);
    again.forEach((v, i) => expect(Math.abs(v - saved.test.scores[i]!)).toBeLessThan(1e-6));
    expect(model.thresholds()).toEqual(saved.thresholds);
  });

  it('records the ranking metrics and curves of the test probabilities it keeps', async () => {
    const r = await runExperiment(SPEC, slice, { nowMs: () => 0 });
    const byKey = new Map(slice.map((m) => [m.key, m]));
    const truth = groupLabels(
      r.predictor!.test.keys.map((k) => byKey.get(k)!),
      PAPER7,
    ).labels;
    const scores = Float32Array.from(r.predictor!.test.scores);
    const predicted = thresholdScores(scores, truth.rows, truth.cols, r.test.thresholds);
    expect(r.test.ranking).toEqual(rankingMetrics(truth, scores, predicted));
    expect(r.test.curves).toEqual(scoreCurves(truth, scores));
    const m = r.test.ranking!;
    expect(m.rocAuc.micro!).toBeGreaterThan(0.5); // better than chance on real metadata
    expect(m.confusion.map((c) => c.tp + c.fn)).toEqual(r.test.perLabel.map((l) => l.support));
    expect(m.confusion.every((c) => c.tn + c.fp + c.fn + c.tp === r.dataset.testRows)).toBe(true);
    expect(r.test.curves!.roc).toHaveLength(7);
  });

  it('rejects movies lacking a column the features need', async () => {
    const spec = { ...SPEC, features: { ...SPEC.features, numeric: ['imdbVotes' as const] } };
    await expect(runExperiment(spec, slice)).rejects.toThrow(/column 'imdbVotes' is missing/);
    await expect(runExperiment(spec, slice)).rejects.toBeInstanceOf(SpecError);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('Cancelled', 'AbortError'));
    await expect(runExperiment(SPEC, slice, { signal: controller.signal })).rejects.toThrow(
      'Cancelled',
    );
  });
});

describe('leakage', () => {
  /** A logistic model that records which movies (identified by raw popularity = id) it is fitted on and scores. */
  const calls: { op: 'fit' | 'predict'; ids: number[] }[] = [];
  const ids = (x: DenseMatrix) => Array.from({ length: x.rows }, (_, r) => x.data[r * x.cols]!);
  class Spy implements MultiLabelModel {
    readonly name = 'Spy';
    readonly #inner = new OneVsRestLogistic();
    async fit(x: DenseMatrix, y: LabelMatrix) {
      calls.push({ op: 'fit', ids: ids(x) });
      await this.#inner.fit(x, y);
    }
    predictScores(x: DenseMatrix) {
      calls.push({ op: 'predict', ids: ids(x) });
      return this.#inner.predictScores(x);
    }
    thresholds = () => this.#inner.thresholds();
    toJSON = () => ({ name: 'Spy' });
    dispose() {}
  }
  registerModelKind('spy', { label: 'spy', params: {}, defaults: {}, create: () => new Spy() });

  it('never shows test movies to training, CV or threshold tuning (only the final scoring)', async () => {
    const rng = mulberry32(9);
    const groupIds = PAPER7.map((g) => g.genreIds[0]!);
    const movies: Movie[] = Array.from({ length: 240 }, (_, i) => ({
      key: `tmdb:${i + 1}`,
      title: `m${i + 1}`,
      popularity: i + 1,
      genreIds: groupIds.filter(() => rng() < 0.3),
      keywords: [],
      source: 'synthetic',
      updatedAt: 0,
    }));
    const spec = parseSpec({
      data: { library: true },
      labels: { groups: 'paper7' },
      features: { numeric: ['popularity'], certificate: false, scaling: 'raw' },
      sampling: { method: 'ml-ros', seed: 1, percentage: 20 },
      model: { kind: 'spy', thresholds: { folds: 2, objective: 'f1' } },
      cv: { folds: 2 },
      split: { testFraction: 0.3, seed: 4 },
    });
    calls.length = 0;
    const r = await runExperiment(spec, movies);
    const last = calls.at(-1)!;
    expect(last.op).toBe('predict');
    expect(last.ids).toHaveLength(r.dataset.testRows);
    const test = new Set(last.ids);
    // 2 CV folds + final, each: 2 inner tuning fits + 1 base fit
    expect(calls.filter((c) => c.op === 'fit')).toHaveLength(9);
    for (const c of calls.slice(0, -1)) expect(c.ids.filter((id) => test.has(id))).toEqual([]);
  });
});

describe('gridPoints', () => {
  it('expands a grid as a cartesian product in spec order', () => {
    expect(gridPoints({ C: 1, tol: 0.1 }, { C: [1, 10], gamma: ['scale', 0.5] })).toEqual([
      { C: 1, tol: 0.1, gamma: 'scale' },
      { C: 1, tol: 0.1, gamma: 0.5 },
      { C: 10, tol: 0.1, gamma: 'scale' },
      { C: 10, tol: 0.1, gamma: 0.5 },
    ]);
  });
});
