import { describe, expect, it } from 'vitest';
import { learnFusionWeights } from './fusion.ts';
import {
  alignRows,
  evaluateFusion,
  probabilitiesByFile,
  tuneThresholds,
  type FusionInput,
} from './fusion-eval.ts';

describe('alignRows', () => {
  it('takes the rows of the wanted keys in the wanted order', () => {
    const from = { keys: ['a', 'b', 'c'], scores: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] };
    expect(Array.from(alignRows(from, 2, ['c', 'a']))).toEqual([
      expect.closeTo(0.5, 6),
      expect.closeTo(0.6, 6),
      expect.closeTo(0.1, 6),
      expect.closeTo(0.2, 6),
    ]);
  });
  it('refuses a key it has no row for', () => {
    expect(() => alignRows({ keys: ['a'], scores: [1] }, 1, ['z'])).toThrow(/no row for z/);
  });
});

describe('probabilitiesByFile', () => {
  it('keeps the predictions that worked, by file', () => {
    const m = probabilitiesByFile([
      { file: 'tmdb:1', ok: true, probabilities: [0.2] },
      { ok: false },
    ]);
    expect([...m]).toEqual([['tmdb:1', [0.2]]]);
  });
});

describe('tuneThresholds', () => {
  it('picks the threshold with the best F1 per label', () => {
    // label 0: positives score 0.3, negatives 0.1 → any t in (0.1, 0.3] is perfect; nearest 0.5 is 0.3
    // label 1: positives 0.9, negatives 0.6 → t in (0.6, 0.9], nearest 0.5 is 0.65
    const scores = [0.3, 0.9, 0.1, 0.6, 0.3, 0.9, 0.1, 0.6];
    const truth = [1, 1, 0, 0, 1, 1, 0, 0];
    expect(tuneThresholds(scores, truth, 2)).toEqual([0.3, 0.65]);
  });
});

/** 30 training movies (t0…t29) and 6 test movies (x0…x5), 3 labels; poster scores encode the row. */
function input(learn?: FusionInput['learn']): FusionInput {
  const cols = 3;
  const trainKeys = Array.from({ length: 30 }, (_, i) => `t${i}`);
  const testKeys = Array.from({ length: 6 }, (_, i) => `x${i}`);
  const truth = new Map<string, number[]>();
  const poster = new Map<string, number[]>();
  trainKeys.forEach((k, i) => {
    const y = [i % 2, (i >> 1) % 2, i % 3 === 0 ? 1 : 0];
    truth.set(k, y);
    // training movies t25…t29 have no poster (left out of validation)
    if (i < 25)
      poster.set(
        k,
        y.map((v) => (v ? 0.9 : 0.1) + i * 1e-4),
      );
  });
  // Test truth and metadata scores of the sklearn reference below; posters are perfect.
  const testTruth = [
    [1, 0, 1],
    [0, 1, 0],
    [1, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 1],
  ];
  testKeys.forEach((k, i) => {
    truth.set(k, testTruth[i]!);
    poster.set(
      k,
      testTruth[i]!.map((v) => (v ? 0.95 : 0.05)),
    );
  });
  return {
    cols,
    oof: { keys: trainKeys, scores: trainKeys.flatMap(() => [0.5, 0.5, 0.5]) },
    test: {
      keys: testKeys,
      scores: [
        0.9, 0.2, 0.4, 0.3, 0.6, 0.1, 0.7, 0.4, 0.2, 0.1, 0.3, 0.8, 0.2, 0.1, 0.3, 0.6, 0.7, 0.9,
      ],
    },
    poster,
    truth,
    thresholds: { poster: [0.5, 0.5, 0.5], metadata: [0.5, 0.5, 0.35] },
    ...(learn ? { learn } : {}),
  };
}

describe('evaluateFusion', () => {
  it('learns weights only from training movies with a poster, never a test movie', () => {
    const seen: string[] = [];
    const spy: typeof learnFusionWeights = (p, m, t, cols, grid) => {
      // Decode which movie each validation row is from its poster score (0.1/0.9 + i·1e-4).
      for (let r = 0; r < t.length / cols; r++) {
        const v = p[r * cols]!;
        const i = Math.round((v > 0.5 ? v - 0.9 : v - 0.1) / 1e-4);
        const fromTest = Math.abs(v - 0.95) < 1e-6 || Math.abs(v - 0.05) < 1e-6;
        seen.push(fromTest ? 'test!' : `t${i}`);
      }
      return learnFusionWeights(p, m, t, cols, grid);
    };
    const r = evaluateFusion(input(spy));
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `t${i}`));
    expect(r.rows).toEqual({ validation: 25, test: 6 });
  });

  it('reports poster, metadata and combined metrics on the test movies', () => {
    const r = evaluateFusion(input());
    // Validation posters separate every label and metadata is a flat 0.5: all weight on the poster.
    expect(r.weights.poster).toEqual([1, 1, 1]);
    expect(r.metrics.poster.microF1).toBe(1);
    expect(r.metrics.combined.microF1).toBe(1);
    expect(r.metrics.combined.hammingLoss).toBe(0);
    // Ref: /usr/bin/python3, sklearn 1.2: y = the 6 test rows, p = (scores >= [0.5, 0.5, 0.35]);
    // hamming_loss, accuracy_score, f1_score micro / macro / samples (zero_division=0).
    const m = r.metrics.metadata;
    expect(m.hammingLoss).toBeCloseTo(0.16666666666666666, 10);
    expect(m.exactMatch).toBeCloseTo(0.5, 10);
    expect(m.microF1).toBeCloseTo(0.823529411764706, 10);
    expect(m.macroF1).toBeCloseTo(0.8222222222222223, 10);
    expect(m.samplesF1).toBeCloseTo(0.7444444444444445, 10);
  });

  it('refuses to learn from fewer than 10 validation movies', () => {
    const i = input();
    const few = new Map([...i.poster].filter(([k]) => k.startsWith('x') || Number(k.slice(1)) < 5));
    expect(() => evaluateFusion({ ...i, poster: few })).toThrow(/only 5 training movies/);
  });
});
