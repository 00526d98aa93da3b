/**
 * Quality check (not in CI): our SVM and forest against scikit-learn 1.2 on the same split and
 * features. Writes the encoded split to a temp folder, fits ours, runs bench/sklearn-compare.py
 * with /usr/bin/python3 on the same files, and prints both Hamming losses as JSON.
 *   node --import tsx bench/sklearn-compare.ts [--movies <csv>]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseMoviesCsv } from '../src/lib/data/csv.ts';
import { applyFeatures, fitFeatures, PAPER_FEATURES } from '../src/lib/features/encode.ts';
import { groupLabels, PAPER7 } from '../src/lib/features/groups.ts';
import { trainTestSplit } from '../src/lib/features/splits.ts';
import { evaluate, takeRows, thresholdScores } from '../src/lib/metrics/index.ts';
import { createModel, type ModelRecipe } from '../src/lib/models/node.ts';

const { values } = parseArgs({
  options: {
    movies: { type: 'string', default: '../shared/data/metadata/tmdb-imdb-2011-2016.csv' },
  },
});
await tf.setBackend('cpu');
const parsed = await parseMoviesCsv(new Uint8Array(readFileSync(values.movies!)), {
  source: 'bench',
});
const grouped = groupLabels(parsed.movies, PAPER7);
const movies = grouped.kept.map((i) => parsed.movies[i]!);
const split = trainTestSplit(grouped.labels, {
  seed: 42,
  testFraction: 0.2,
  keys: movies.map((m) => m.key),
});
const transform = fitFeatures(
  split.train.map((r) => movies[r]!),
  { ...PAPER_FEATURES, certificate: false, scaling: 'standardize' },
);
const enc = (rows: number[]) =>
  applyFeatures(
    transform,
    rows.map((r) => movies[r]!),
  );
const xTrain = enc(split.train);
const xTest = enc(split.test);
const yTrain = takeRows(grouped.labels, split.train);
const yTest = takeRows(grouped.labels, split.test);

const dir = mkdtempSync(join(tmpdir(), 'marquee-sklearn-'));
const rows = (x: Float32Array, cols: number) =>
  Array.from({ length: x.length / cols }, (_, r) =>
    Array.from(x.subarray(r * cols, (r + 1) * cols)),
  );
writeFileSync(
  join(dir, 'data.json'),
  JSON.stringify({
    xTrain: rows(xTrain.x, xTrain.cols),
    yTrain: rows(Float32Array.from(yTrain.data), yTrain.cols),
    xTest: rows(xTest.x, xTest.cols),
    yTest: rows(Float32Array.from(yTest.data), yTest.cols),
  }),
);

async function ours(recipe: ModelRecipe) {
  const model = createModel(recipe);
  const t0 = performance.now();
  await model.fit({ rows: xTrain.rows, cols: xTrain.cols, data: xTrain.x }, yTrain);
  const fitMs = performance.now() - t0;
  const scores = await model.predictScores({ rows: xTest.rows, cols: xTest.cols, data: xTest.x });
  const r = evaluate(yTest, thresholdScores(scores, xTest.rows, yTest.cols, 0.5));
  return {
    hammingLoss: r.hammingLoss,
    exactMatch: r.exactMatch,
    atLeastOne: r.atLeastOne,
    fitMs: Math.round(fitMs),
  };
}

const seeds = [1, 2, 3];
const forest = await Promise.all(
  seeds.map((seed) => ours({ kind: 'forest', params: { nEstimators: 100, seed } })),
);
const result = {
  data: { movies: movies.length, train: xTrain.rows, test: xTest.rows, features: xTrain.names },
  ours: {
    svm: await ours({ kind: 'svm', params: { C: 1, gamma: 'scale' } }),
    forestMeanHammingLoss: forest.reduce((s, f) => s + f.hammingLoss, 0) / seeds.length,
    forest,
  },
  sklearn: JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      [new URL('./sklearn-compare.py', import.meta.url).pathname, join(dir, 'data.json')],
      { encoding: 'utf8' },
    ),
  ) as unknown,
};
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
