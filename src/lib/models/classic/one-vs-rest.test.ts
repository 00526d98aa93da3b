import { describe, expect, it } from 'vitest';
import { RandomForestClassifier } from './forest.ts';
import { OneVsRestForest, topFeatures, type OneVsRestForestJson } from './one-vs-rest.ts';
import { denseToSparse, sparseFromLists } from './matrix.ts';
import { makeSynthetic } from './synthetic.ts';

describe('OneVsRestForest', () => {
  const { x, y } = makeSynthetic({ seed: 2, rows: 600, cols: 8, labels: 3, noise: 0.4 });

  it('fits one forest per label, each matching a standalone forest with the derived seed', () => {
    const m = new OneVsRestForest({ nEstimators: 5, seed: 1 }).train(x, y);
    expect(m.forests).toHaveLength(3);
    const label1 = Uint8Array.from({ length: y.rows }, (_, r) => y.data[r * 3 + 1]!);
    const alone = new RandomForestClassifier({
      nEstimators: 5,
      seed: m.forests[1]!.options.seed,
    }).train(x, label1);
    expect(alone.toJSON().trees).toEqual(m.forests[1]!.toJSON().trees);
  });

  it('finds each label\u2019s three informative features (label l uses x_l, x_{l+1}, x_{l+2})', () => {
    const m = new OneVsRestForest({ nEstimators: 30, seed: 2 }).train(x, y);
    const names = Array.from({ length: 8 }, (_, i) => `x${i}`);
    for (let l = 0; l < 3; l++) {
      const top = topFeatures(m.featureImportances(l), names, 3)
        .map((f) => f.feature)
        .sort();
      expect(top).toEqual([l, l + 1, l + 2]);
    }
  });

  it('predicts a row-major probability matrix and 0/1 labels of the same shape', () => {
    const m = new OneVsRestForest({ nEstimators: 20, seed: 3 }).train(x, y);
    const p = m.predictProba(x);
    expect([p.rows, p.cols]).toEqual([600, 3]);
    const labels = m.predict(x);
    let hits = 0;
    for (let i = 0; i < labels.data.length; i++) hits += labels.data[i] === y.data[i] ? 1 : 0;
    expect(hits / labels.data.length).toBeGreaterThan(0.95); // training rows
  });

  it('counts progress over labels × trees', () => {
    const done: number[] = [];
    new OneVsRestForest({ nEstimators: 2, seed: 4 }).train(x, y, {
      onProgress: (p) => done.push(p.done * 10 + p.total),
    });
    expect(done).toEqual([16, 26, 36, 46, 56, 66]);
  });

  it('round-trips through JSON with identical predictions, on sparse input too', () => {
    const bin = denseToSparse({
      rows: x.rows,
      cols: x.cols,
      data: x.data.map((v) => (v > 0.5 ? 1 : 0)),
    });
    const m = new OneVsRestForest({ nEstimators: 5, seed: 5 }).train(bin, y);
    const back = OneVsRestForest.load(JSON.parse(JSON.stringify(m)) as OneVsRestForestJson);
    expect(back.predictProba(bin)).toEqual(m.predictProba(bin));
    expect(() =>
      OneVsRestForest.load({ ...m.toJSON(), name: 'X' } as unknown as OneVsRestForestJson),
    ).toThrow(RangeError);
  });

  it('rejects labels whose row count differs from x', () => {
    const small = sparseFromLists([[0], [1]], 2);
    expect(() => new OneVsRestForest({ nEstimators: 1 }).train(small, y)).toThrow(RangeError);
  });
});
