import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, thresholdScores } from '../metrics/index.ts';
import { createModel, loadModel, resolveGamma, type ModelRecipe } from './node.ts';
import { separableData } from '../../test/model-data.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const train = separableData(160, 5, 3, 1);
const test = separableData(80, 5, 3, 2);

// Small settings keep the whole file to a few seconds; every kind must still separate the data.
const RECIPES: Record<string, ModelRecipe> = {
  svm: { kind: 'svm', params: { C: 1 } },
  forest: { kind: 'forest', params: { nEstimators: 20, seed: 3 } },
  mlp: {
    kind: 'mlp',
    params: { hidden: [16], epochs: 60, learningRate: 0.02, batchSize: 32, seed: 5 },
  },
  logistic: { kind: 'logistic' },
  'chain(logistic)': { kind: 'logistic', chain: { order: 'frequency' } },
  'tuned(forest)': {
    kind: 'forest',
    params: { nEstimators: 10, seed: 4 },
    thresholds: { folds: 3, objective: 'f1' },
  },
};

describe('models', () => {
  for (const [name, recipe] of Object.entries(RECIPES)) {
    it(`${name} learns linearly separable labels (test Hamming loss <= 0.05)`, async () => {
      const model = createModel(recipe);
      const seen: number[] = [];
      await model.fit(train.x, train.y, { onProgress: (p) => seen.push(p.done / p.total) });
      const scores = await model.predictScores(test.x);
      expect(scores.length).toBe(test.x.rows * 3);
      expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
      const pred = thresholdScores(scores, test.x.rows, 3, model.thresholds());
      expect(evaluate(test.y, pred).hammingLoss).toBeLessThanOrEqual(0.05);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.at(-1)).toBeLessThanOrEqual(1);
    });

    it(`${name} round-trips through JSON with identical predictions`, async () => {
      const model = createModel(recipe);
      await model.fit(train.x, train.y);
      const json = JSON.parse(JSON.stringify(model.toJSON())) as { name: string };
      const loaded = loadModel(json);
      expect(loaded.name).toBe(model.name);
      expect(Array.from(await loaded.predictScores(test.x))).toEqual(
        Array.from(await model.predictScores(test.x)),
      );
      expect(loaded.thresholds()).toEqual(model.thresholds());
    });
  }

  it('refuses JSON with a wrong name tag (RangeError)', () => {
    expect(() => loadModel({ name: 'Nope' })).toThrow(RangeError);
    expect(() => createModel({ kind: 'nope' })).toThrow(RangeError);
  });

  it('repeats a seeded MLP fit exactly on the cpu backend', async () => {
    const fit = async () => {
      const m = createModel(RECIPES.mlp!);
      await m.fit(train.x, train.y);
      return Array.from(await m.predictScores(test.x));
    };
    expect(await fit()).toEqual(await fit());
  });

  it('repeats an SVM fit exactly (fresh LIBSVM instance per fit)', async () => {
    const fit = async () => {
      const m = createModel(RECIPES.svm!);
      await m.fit(train.x, train.y);
      return Array.from(await m.predictScores(test.x));
    };
    expect(await fit()).toEqual(await fit());
  });

  it('stops a fit when the signal is aborted', async () => {
    const controller = new AbortController();
    const model = createModel({ kind: 'logistic' });
    const run = model.fit(train.x, train.y, {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(run).rejects.toThrow('stop');
  });

  it("resolves gamma 'scale' as sklearn: 1 / (features · var(X))", () => {
    // Ref: /usr/bin/python3 -c "import numpy as np; X=np.array([[1,2],[3,4],[5,7.]]); print(1/(2*X.var()))" -> 0.12857142857142856
    const x = { rows: 3, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 7]) };
    expect(resolveGamma('scale', x)).toBeCloseTo(0.12857142857142856, 10);
    expect(resolveGamma('auto', x)).toBe(0.5);
    expect(resolveGamma(0.3, x)).toBe(0.3);
  });
});
