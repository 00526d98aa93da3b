import { describe, expect, it } from 'vitest';
import { labelsFromRows } from '../metrics/label-matrix.ts';
import { rankingSummary, testRanking } from './result.ts';

const truth = labelsFromRows([
  [1, 0],
  [0, 1],
  [1, 1],
  [0, 0],
]);

describe('testRanking', () => {
  it('scores probabilities at the run thresholds and keeps the curves', () => {
    const r = testRanking(
      { truth, scores: Float32Array.of(0.9, 0.2, 0.3, 0.6, 0.8, 0.7, 0.1, 0.4) },
      [0.5, 0.5],
    );
    expect(r.ranking!.rocAuc.perLabel).toEqual([1, 1]);
    expect(r.ranking!.confusion).toEqual([
      { tn: 2, fp: 0, fn: 0, tp: 2 },
      { tn: 2, fp: 0, fn: 0, tp: 2 },
    ]);
    expect(r.curves!.roc).toHaveLength(2);
    expect(rankingSummary(r)).toMatch(/^ROC AUC micro 1\.0000 macro 1\.0000, .*log loss 0\.\d{4}/);
  });
  it('gives a note, not metrics, when the scores are not probabilities', () => {
    const r = testRanking(
      { truth, scores: Float32Array.of(0.9, 0.2, 0.3, 0.6, 0.8, 1.7, 0.1, 0.4) },
      [0.5, 0.5],
    );
    expect(r.ranking).toBeUndefined();
    expect(r.rankingNote).toMatch(/score 5 is 1\.7\d*, not a probability/);
    expect(rankingSummary(r)).toMatch(/^no ranking metrics: score 5/);
  });
  it('says nothing for a run stored before ranking metrics existed', () => {
    expect(rankingSummary({})).toBe('');
  });
});
