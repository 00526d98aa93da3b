import { describe, expect, it } from 'vitest';
import {
  atLeastOne,
  evaluate,
  exactMatch,
  hammingLoss,
  labelCardinality,
  macroF1,
  microF1,
  perLabelScores,
  samplesF1,
  thresholdScores,
} from './multilabel.ts';
import { labelsFromRows, labelsToRows, takeRows, labelCounts } from './label-matrix.ts';

// Hand-worked case: 3 movies × 3 labels.
//   movie 0: true {0,1}  pred {0}     -> 1 wrong cell, not exact, hit
//   movie 1: true {2}    pred {2}     -> exact, hit
//   movie 2: true {1}    pred {}      -> 1 wrong cell, miss (nothing predicted)
const T = labelsFromRows([
  [1, 1, 0],
  [0, 0, 1],
  [0, 1, 0],
]);
const P = labelsFromRows([
  [1, 0, 0],
  [0, 0, 1],
  [0, 0, 0],
]);

describe('multi-label metrics, hand-worked', () => {
  it('hamming loss counts wrong cells over all cells', () => {
    expect(hammingLoss(T, P)).toBeCloseTo(2 / 9, 12);
  });
  it('exact match needs every label right', () => {
    expect(exactMatch(T, P)).toBeCloseTo(1 / 3, 12);
  });
  it('at least one counts a movie with no prediction as a miss', () => {
    expect(atLeastOne(T, P)).toBeCloseTo(2 / 3, 12);
  });
  it('micro F1 pools the counts: tp 2, fp 0, fn 2', () => {
    expect(microF1(T, P)).toBeCloseTo(4 / 6, 12);
  });
  it('per-label scores and macro F1', () => {
    const s = perLabelScores(T, P);
    expect(s.map((l) => l.support)).toEqual([1, 2, 1]);
    expect(s.map((l) => l.precision)).toEqual([1, 0, 1]); // label 1 never predicted -> 0
    expect(s.map((l) => l.recall)).toEqual([1, 0, 1]);
    expect(macroF1(T, P)).toBeCloseTo(2 / 3, 12);
  });
  it('samples F1 averages per-movie F1: 2/3, 1, 0', () => {
    expect(samplesF1(T, P)).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
  });
  it('cardinality is the mean number of true labels', () => {
    expect(labelCardinality(T)).toBeCloseTo(4 / 3, 12);
  });
  it('perfect predictions score 1 and 0 loss', () => {
    const r = evaluate(T, T);
    expect([r.hammingLoss, r.exactMatch, r.atLeastOne, r.microF1, r.macroF1, r.samplesF1]).toEqual([
      0, 1, 1, 1, 1, 1,
    ]);
  });
  it('rejects matrices of different shapes', () => {
    expect(() => hammingLoss(T, labelsFromRows([[1, 0, 0]]))).toThrow(RangeError);
  });
});

// Ref: src/lib/metrics/reference.py, run with `/usr/bin/python3 src/lib/metrics/reference.py`
// (scikit-learn 1.2.1, numpy RandomState(109), zero_division=0). Values pasted from its output.
const REF = {
  yTrue: [
    [0, 0, 0, 0, 0],
    [0, 0, 0, 1, 0],
    [1, 1, 0, 0, 0],
    [0, 1, 0, 0, 0],
    [0, 1, 0, 1, 0],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0],
    [0, 1, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [1, 0, 1, 0, 0],
    [0, 1, 0, 0, 0],
    [0, 0, 1, 1, 0],
  ],
  yPred: [
    [0, 0, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0],
    [1, 1, 0, 1, 0],
    [0, 1, 0, 0, 0],
    [0, 0, 1, 1, 0],
    [0, 0, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0],
    [1, 1, 1, 0, 0],
    [1, 0, 0, 1, 0],
    [0, 0, 0, 1, 0],
  ],
  hammingLoss: 0.26666666666666666,
  exactMatch: 0.16666666666666666,
  microF1: 0.42857142857142855,
  macroF1: 0.33714285714285713,
  samplesF1: 0.27499999999999997,
  atLeastOne: 0.4166666666666667,
  precision: [0.3333333333333333, 0.6666666666666666, 0.5, 0.25, 0.0],
  recall: [0.5, 0.4, 0.5, 0.3333333333333333, 0.0],
  f1: [0.4, 0.5, 0.5, 0.28571428571428575, 0.0],
  support: [2, 5, 4, 3, 0],
};

describe('multi-label metrics against scikit-learn', () => {
  const r = evaluate(labelsFromRows(REF.yTrue), labelsFromRows(REF.yPred));
  it('matches hamming_loss, accuracy_score and the three F1 averages', () => {
    expect(r.hammingLoss).toBeCloseTo(REF.hammingLoss, 12);
    expect(r.exactMatch).toBeCloseTo(REF.exactMatch, 12);
    expect(r.microF1).toBeCloseTo(REF.microF1, 12);
    expect(r.macroF1).toBeCloseTo(REF.macroF1, 12);
    expect(r.samplesF1).toBeCloseTo(REF.samplesF1, 12);
  });
  it('matches precision_recall_fscore_support per label', () => {
    r.perLabel.forEach((l, c) => {
      expect(l.precision).toBeCloseTo(REF.precision[c]!, 12);
      expect(l.recall).toBeCloseTo(REF.recall[c]!, 12);
      expect(l.f1).toBeCloseTo(REF.f1[c]!, 12);
      expect(l.support).toBe(REF.support[c]);
    });
  });
  it('at least one: 5 of 12 movies share a label (rows 3, 4, 5, 9, 11)', () => {
    expect(r.atLeastOne).toBeCloseTo(REF.atLeastOne, 12);
  });
});

describe('thresholdScores', () => {
  const scores = new Float32Array([0.9, 0.5, 0.1, 0.2, 0.6, 0.45]);
  it('applies one threshold with >=', () => {
    expect(labelsToRows(thresholdScores(scores, 2, 3, 0.5))).toEqual([
      [1, 1, 0],
      [0, 1, 0],
    ]);
  });
  it('applies one threshold per label', () => {
    expect(labelsToRows(thresholdScores(scores, 2, 3, [0.95, 0.55, 0.4]))).toEqual([
      [0, 0, 0],
      [0, 1, 1],
    ]);
  });
  it('rejects a wrong number of thresholds or scores', () => {
    expect(() => thresholdScores(scores, 2, 3, [0.5])).toThrow(RangeError);
    expect(() => thresholdScores(scores, 3, 3, 0.5)).toThrow(RangeError);
  });
});

describe('label matrix helpers', () => {
  it('takeRows repeats rows and counts follow', () => {
    const m = takeRows(T, [2, 2, 0]);
    expect(labelsToRows(m)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [1, 1, 0],
    ]);
    expect(labelCounts(m)).toEqual([1, 3, 0]);
    expect(() => takeRows(T, [3])).toThrow(RangeError);
  });
});
