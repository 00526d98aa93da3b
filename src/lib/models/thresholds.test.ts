import { describe, expect, it } from 'vitest';
import { bestThreshold, tuneThresholds } from './thresholds.ts';

// Scores 0.9 0.8 0.4 0.3 0.1 with truth 1 0 1 0 0. Predicting the top k:
//   k:        0     1     2     3     4     5
//   F1:       0   2/3   1/2   4/5   2/3   4/7     -> best k = 3, threshold (0.4 + 0.3) / 2
//   accuracy: 3/5  4/5  3/5   4/5   3/5   2/5     -> tie k = 1 (0.85) and k = 3 (0.35); 0.35 is nearer 0.5
const SCORES = [0.9, 0.8, 0.4, 0.3, 0.1];
const TRUTH = [1, 0, 1, 0, 0];

describe('bestThreshold', () => {
  it('maximises F1 at the midpoint between scores', () => {
    expect(bestThreshold(SCORES, TRUTH, 'f1')).toBeCloseTo(0.35, 10);
  });

  it('maximises accuracy, breaking ties towards 0.5', () => {
    expect(bestThreshold(SCORES, TRUTH, 'accuracy')).toBeCloseTo(0.35, 10);
  });

  it('predicts nothing when a label never occurs (accuracy)', () => {
    const t = bestThreshold(SCORES, [0, 0, 0, 0, 0], 'accuracy');
    expect(SCORES.every((s) => s < t)).toBe(true);
  });

  it('treats tied scores as one step', () => {
    // both 0.6 rows go together: k = 2 gives F1 2/3 (tp 1 of 2 predicted, 1 positive)
    expect(bestThreshold([0.6, 0.6, 0.2], [1, 0, 0], 'f1')).toBeCloseTo(0.4, 10);
  });
});

describe('tuneThresholds', () => {
  it('tunes each label column separately', () => {
    const scores = Float32Array.from([0.9, 0.2, 0.8, 0.7, 0.4, 0.6, 0.3, 0.1, 0.1, 0.65]);
    const y = { rows: 5, cols: 2, data: Uint8Array.from([1, 0, 0, 1, 1, 1, 0, 0, 0, 1]) };
    const t = tuneThresholds(scores, y, 'f1');
    // label 0: scores .9 .8 .4 .3 .1, truth 1 0 1 0 0 -> 0.35 (as above); label 1: .2 .7 .6 .1 .65, truth 0 1 1 0 1 -> top 3 perfect, (0.6 + 0.2) / 2
    expect(t[0]).toBeCloseTo(0.35, 6);
    expect(t[1]).toBeCloseTo(0.4, 6);
  });
});
