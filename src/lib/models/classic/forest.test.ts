import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../features/random.ts';
import {
  DEFAULT_OPTIONS,
  RandomForestClassifier,
  resolveMaxFeatures,
  type RandomForestJson,
} from './forest.ts';
import {
  asDense,
  denseFromRows,
  denseToSparse,
  mixed,
  sparseFromLists,
  type DenseMatrix,
} from './matrix.ts';
import { makeSynthetic, sliceRows } from './synthetic.ts';
import { featuresToEvaluate } from './tree-builder.ts';

function accuracy(p: Uint8Array, y: Uint8Array): number {
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += p[i] === y[i] ? 1 : 0;
  return hits / y.length;
}

/** y = [x_informative > 0.5], other columns uniform noise; flip flips each label with that probability. */
function thresholdProblem(
  seed: number,
  rows: number,
  cols: number,
  informative: number,
  flip: number,
) {
  const rng = mulberry32(seed);
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = rng();
    const clean = data[r * cols + informative]! > 0.5 ? 1 : 0;
    y[r] = rng() < flip ? 1 - clean : clean;
  }
  return { x: { rows, cols, data } satisfies DenseMatrix, y };
}

describe('RandomForestClassifier', () => {
  it('fits separable data (with a margin) perfectly', () => {
    // A margin matters: a point on a thin boundary is out of bag for ~37% of the trees and can be
    // outvoted, for sklearn as for us. Here the informative feature avoids [0.4, 0.6).
    const { x, y } = thresholdProblem(3, 400, 5, 1, 0);
    for (let r = 0; r < x.rows; r++) {
      const v = x.data[r * 5 + 1]!;
      x.data[r * 5 + 1] = v < 0.5 ? v * 0.8 : 0.6 + (v - 0.5) * 0.8;
    }
    const m = new RandomForestClassifier({ nEstimators: 20, seed: 1 }).train(x, y);
    expect(accuracy(m.predict(x), y)).toBe(1);
  });

  it('reaches but does not beat the Bayes accuracy of a noisy problem', () => {
    // 20% of labels flipped at random: the best possible test accuracy is 0.8. With 2,000 test rows
    // the sampling std is sqrt(0.8·0.2/2000) ≈ 0.009, so 0.8 + 3σ ≈ 0.83 bounds a fair forest from above.
    const train = thresholdProblem(11, 3000, 8, 2, 0.2);
    const test = thresholdProblem(12, 2000, 8, 2, 0.2);
    const m = new RandomForestClassifier({ nEstimators: 50, seed: 2 }).train(train.x, train.y);
    const acc = accuracy(m.predict(test.x), test.y);
    expect(acc).toBeGreaterThan(0.75);
    expect(acc).toBeLessThan(0.83);
  });

  it('agrees with scikit-learn on held-out accuracy within 0.02', () => {
    // Ref: /usr/bin/python3 src/lib/models/classic/sklearn_reference.py → test_accuracy_mean 0.8862
    // (RandomForestClassifier(n_estimators=100), sklearn 1.2, mean of random_state 0..9, std 0.0021).
    const { x, y } = makeSynthetic({ seed: 7, rows: 5000, cols: 10, labels: 1, noise: 0.6 });
    const train = sliceRows(x, y, 0, 3000);
    const test = sliceRows(x, y, 3000, 5000);
    const m = new RandomForestClassifier({ nEstimators: 100, seed: 5 }).train(
      train.x,
      train.y.data,
    );
    expect(Math.abs(accuracy(m.predict(test.x), test.y.data) - 0.8862)).toBeLessThanOrEqual(0.02);
  });

  it('gives the same forest for the same seed and another for another seed', () => {
    const { x, y } = thresholdProblem(4, 300, 6, 1, 0.1);
    const a = new RandomForestClassifier({ nEstimators: 5, seed: 9 }).train(x, y);
    const b = new RandomForestClassifier({ nEstimators: 5, seed: 9 }).train(x, y);
    const c = new RandomForestClassifier({ nEstimators: 5, seed: 10 }).train(x, y);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    expect(JSON.stringify(a.toJSON().trees)).not.toBe(JSON.stringify(c.toJSON().trees));
  });

  it('round-trips toJSON → JSON.stringify → load with identical predictions and importances', () => {
    const { x, y } = makeSynthetic({ seed: 8, rows: 500, cols: 7, labels: 1, noise: 0.5 });
    const m = new RandomForestClassifier({ nEstimators: 10, seed: 3 }).train(x, y.data);
    const back = RandomForestClassifier.load(JSON.parse(JSON.stringify(m)) as RandomForestJson);
    expect(back.predictProba(x)).toEqual(m.predictProba(x));
    expect(back.featureImportances()).toEqual(m.featureImportances());
    expect(back.options).toEqual(m.options);
  });

  it('refuses to load another model kind', () => {
    const json = {
      ...new RandomForestClassifier().toJSON(),
      name: 'KNN',
    } as unknown as RandomForestJson;
    expect(() => RandomForestClassifier.load(json)).toThrow(RangeError);
  });

  it('ranks the informative feature first, with a spread across trees', () => {
    const { x, y } = thresholdProblem(5, 1000, 10, 3, 0.05);
    const imp = new RandomForestClassifier({ nEstimators: 30, seed: 4 })
      .train(x, y)
      .featureImportances();
    const top = imp.mean.indexOf(Math.max(...imp.mean));
    expect(top).toBe(3);
    expect(imp.mean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(imp.std[3]).toBeGreaterThan(0);
  });

  it('grows identical trees from the dense and the sparse form of 0/1 data', () => {
    const rng = mulberry32(21);
    const rows: number[][] = [];
    const y = new Uint8Array(400);
    for (let r = 0; r < 400; r++) {
      const row = Array.from({ length: 60 }, (_, c) => (rng() < 0.02 + c / 600 ? 1 : 0));
      rows.push(row);
      y[r] = (row[5]! | row[40]!) ^ (rng() < 0.1 ? 1 : 0);
    }
    const dense = denseFromRows(rows);
    const sparse = denseToSparse(dense);
    const a = new RandomForestClassifier({ nEstimators: 10, seed: 6 }).train(dense, y);
    const b = new RandomForestClassifier({ nEstimators: 10, seed: 6 }).train(sparse, y);
    expect(a.trees.reduce((n, t) => n + t.nodeCount, 0)).toBeGreaterThan(100);
    expect(b.toJSON().trees).toEqual(a.toJSON().trees);
    expect(b.predictProba(sparse)).toEqual(a.predictProba(dense));
  });

  it('grows identical trees from the dense form and the dense + sparse one-hot form', () => {
    // Numeric columns (some with ties, some continuous) then one-hot columns, as the encoder lays
    // out paper features + directors + keywords; the label depends on both kinds.
    const rng = mulberry32(33);
    const n = 500;
    const numeric = 6;
    const onehot = 80;
    const denseRows: number[][] = [];
    const lists: number[][] = [];
    const y = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      const num = Array.from({ length: numeric }, (_, c) =>
        c % 2 ? Math.floor(rng() * 5) : rng() * 2 - 1,
      );
      const ones = Array.from({ length: onehot }, (_, c) => c).filter(() => rng() < 0.05);
      denseRows.push([
        ...num,
        ...Array.from({ length: onehot }, (_, c) => (ones.includes(c) ? 1 : 0)),
      ]);
      lists.push(ones);
      y[r] = (num[0]! > 0.3 ? 1 : 0) ^ (ones.includes(7) ? 1 : 0) ^ (rng() < 0.1 ? 1 : 0);
    }
    const dense = denseFromRows(denseRows);
    const parts = mixed(
      denseFromRows(denseRows.map((row) => row.slice(0, numeric))),
      sparseFromLists(lists, onehot),
    );
    expect(asDense(parts)).toEqual(dense);
    const a = new RandomForestClassifier({ nEstimators: 12, seed: 8 }).train(dense, y);
    const b = new RandomForestClassifier({ nEstimators: 12, seed: 8 }).train(parts, y);
    const features = new Set(a.trees.flatMap((t) => Array.from(t.feature)));
    expect([...features].some((f) => f >= 0 && f < numeric)).toBe(true);
    expect([...features].some((f) => f >= numeric)).toBe(true);
    expect(a.trees.reduce((s, t) => s + t.nodeCount, 0)).toBeGreaterThan(200);
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(b.predictProba(parts)).toEqual(a.predictProba(dense));
    expect(b.predictProba(dense)).toEqual(a.predictProba(dense));
  });

  it('reports progress per tree and stops between trees when aborted, keeping the old model', () => {
    const { x, y } = thresholdProblem(6, 200, 4, 0, 0);
    const m = new RandomForestClassifier({ nEstimators: 10, seed: 1 });
    const seen: number[] = [];
    const controller = new AbortController();
    expect(() =>
      m.train(x, y, {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.done);
          expect(p.total).toBe(10);
          if (p.done === 3) controller.abort(new DOMException('Cancelled', 'AbortError'));
        },
      }),
    ).toThrow(/Cancelled/);
    expect(seen).toEqual([1, 2, 3]);
    expect(m.trees).toHaveLength(0);
  });

  it('trains the same forest asynchronously', async () => {
    const { x, y } = thresholdProblem(7, 300, 5, 2, 0.1);
    const a = new RandomForestClassifier({ nEstimators: 8, seed: 2 }).train(x, y);
    const b = await new RandomForestClassifier({ nEstimators: 8, seed: 2 }).trainAsync(x, y, {
      yieldEveryMs: 0,
    });
    expect(b.toJSON()).toEqual(a.toJSON());
  });

  it('honours maxDepth and minSamplesLeaf', () => {
    const { x, y } = thresholdProblem(8, 500, 5, 1, 0.3);
    const m = new RandomForestClassifier({
      nEstimators: 3,
      seed: 1,
      maxDepth: 2,
      minSamplesLeaf: 20,
    }).train(x, y);
    for (const t of m.trees) expect(t.nodeCount).toBeLessThanOrEqual(7);
  });

  it('resolves maxFeatures like scikit-learn', () => {
    expect(DEFAULT_OPTIONS.maxFeatures).toBe('sqrt');
    expect(resolveMaxFeatures('sqrt', 12000)).toBe(109);
    expect(resolveMaxFeatures('log2', 30)).toBe(4);
    expect(resolveMaxFeatures(0.5, 30)).toBe(15);
    expect(resolveMaxFeatures(null, 30)).toBe(30);
    expect(() => resolveMaxFeatures(-1, 30)).toThrow(RangeError);
  });
});

describe('featuresToEvaluate', () => {
  it('evaluates all non-constant features when max_features covers all, and max_features when none is constant', () => {
    const rng = mulberry32(1);
    expect(featuresToEvaluate(7, 30, 30, rng)).toBe(7);
    expect(featuresToEvaluate(30, 30, 5, rng)).toBe(5);
  });

  it('draws a hypergeometric count, at least one', () => {
    // 100 of 1,000 features vary, max_features 50: E[hits] = 50·100/1000 = 5 (hypergeometric mean);
    // over 4,000 draws the mean's std is about 2/sqrt(4000) ≈ 0.03.
    const rng = mulberry32(2);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += featuresToEvaluate(100, 1000, 50, rng);
    expect(sum / 4000).toBeCloseTo(5, 0);
    expect(Math.abs(sum / 4000 - 5)).toBeLessThan(0.15);
    expect(featuresToEvaluate(1, 12000, 1, mulberry32(3))).toBe(1);
  });
});
