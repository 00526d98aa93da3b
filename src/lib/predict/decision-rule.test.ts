import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../features/random.ts';
import { evaluate, type LabelMatrix } from '../metrics/index.ts';
import {
  applyRule,
  CANDIDATES,
  chooseCandidate,
  crossValidateCandidates,
  fitRule,
  scoreDecisions,
  type CandidateResult,
} from './decision-rule.ts';

const row = [0.1, 0.5, 0.3, 0.05];

describe('applyRule', () => {
  it('per-label thresholds, adding the top label when none passes if asked', () => {
    const t = { kind: 'thresholds' as const, thresholds: [0.2, 0.6, 0.2, 0.9], minOne: false };
    expect(Array.from(applyRule(t, row, 4))).toEqual([0, 0, 1, 0]);
    expect(Array.from(applyRule({ ...t, thresholds: [1, 1, 1, 1] }, row, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(applyRule({ ...t, thresholds: [1, 1, 1, 1], minOne: true }, row, 4))).toEqual(
      [0, 1, 0, 0],
    );
  });
  it('one global cut', () => {
    expect(Array.from(applyRule({ kind: 'global', cut: 0.3, minOne: false }, row, 4))).toEqual([
      0, 1, 1, 0,
    ]);
  });
  it('the top k', () => {
    expect(Array.from(applyRule({ kind: 'top-k', k: 2 }, [...row, ...row], 4))).toEqual([
      0, 1, 1, 0, 0, 1, 1, 0,
    ]);
  });
  it('the fewest top labels holding a share of the mass, at least one', () => {
    // mass 0.95: 0.5 holds 53 %, + 0.3 holds 84 %, + 0.1 holds 95 %
    expect(Array.from(applyRule({ kind: 'mass', share: 0.5 }, row, 4))).toEqual([0, 1, 0, 0]);
    expect(Array.from(applyRule({ kind: 'mass', share: 0.8 }, row, 4))).toEqual([0, 1, 1, 0]);
    expect(Array.from(applyRule({ kind: 'mass', share: 0.9 }, row, 4))).toEqual([1, 1, 1, 0]);
    expect(Array.from(applyRule({ kind: 'mass', share: 0.01 }, row, 4))).toEqual([0, 1, 0, 0]);
  });
});

describe('scoreDecisions', () => {
  it('agrees with metrics/multilabel.ts (scikit-learn definitions) on random data', () => {
    const rnd = mulberry32(9);
    const n = 50 * 5;
    const y: LabelMatrix = {
      rows: 50,
      cols: 5,
      data: Uint8Array.from({ length: n }, () => +(rnd() < 0.3)),
    };
    const p = Uint8Array.from({ length: n }, () => +(rnd() < 0.4));
    const want = evaluate(y, { rows: 50, cols: 5, data: p });
    const got = scoreDecisions(y, p);
    expect(got.microF1).toBeCloseTo(want.microF1, 12);
    expect(got.macroF1).toBeCloseTo(want.macroF1, 12);
    expect(got.samplesF1).toBeCloseTo(want.samplesF1, 12);
  });
  it('reports predicted and true labels per row beside the F1s', () => {
    const y: LabelMatrix = { rows: 2, cols: 2, data: new Uint8Array([1, 0, 1, 1]) };
    const s = scoreDecisions(y, new Uint8Array([1, 1, 1, 0]));
    expect(s.predictedPerRow).toBe(1.5);
    expect(s.truePerRow).toBe(1.5);
    // micro: tp 2, fp 1, fn 1 → 2/3; samples: row 0 F1 2/3, row 1 F1 2/3
    expect(s.microF1).toBeCloseTo(2 / 3, 12);
    expect(s.samplesF1).toBeCloseTo(2 / 3, 12);
    expect(s.criterion).toBeCloseTo(2 / 3, 12);
  });
});

/** Rows with exactly one true label out of 4; the model ranks it first but its scores are all low. */
function oneLabelRows(n: number, seed: number) {
  const rnd = mulberry32(seed);
  const cols = 4;
  const data = new Uint8Array(n * cols);
  const scores = new Float32Array(n * cols);
  for (let r = 0; r < n; r++) {
    const k = Math.floor(rnd() * cols);
    data[r * cols + k] = 1;
    for (let c = 0; c < cols; c++)
      scores[r * cols + c] = c === k ? 0.2 + 0.1 * rnd() : 0.15 * rnd();
  }
  return { y: { rows: n, cols, data } as LabelMatrix, scores };
}

describe('fitRule', () => {
  it('finds k = 1 for rows with one label ranked first', () => {
    const { y, scores } = oneLabelRows(200, 1);
    expect(fitRule('top-k', false, scores, y)).toEqual({ kind: 'top-k', k: 1 });
  });
  it('finds a global cut between the true and the other scores', () => {
    const { y, scores } = oneLabelRows(200, 2);
    const r = fitRule('global', false, scores, y);
    if (r.kind !== 'global') throw new Error('expected a global rule');
    expect(r.cut).toBeGreaterThan(0.15);
    expect(r.cut).toBeLessThanOrEqual(0.2 + 1e-9);
  });
  it('prevalence: predicts each label as often as it is true, rare ones included', () => {
    // label 0 true on 60 % of rows, label 1 on 10 %; scores rank the truth first but sit low for
    // the rare label, so one global cut would never predict it
    const rows = 100;
    const y = { rows, cols: 2, data: new Uint8Array(rows * 2) };
    const p = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      y.data[r * 2] = r < 60 ? 1 : 0;
      y.data[r * 2 + 1] = r % 10 === 0 ? 1 : 0;
      p[r * 2] = r < 60 ? 0.6 + r / 1000 : 0.3 + r / 1000;
      p[r * 2 + 1] = r % 10 === 0 ? 0.2 + r / 10000 : 0.05 + r / 10000;
    }
    const rule = fitRule('prevalence', false, p, y);
    if (rule.kind !== 'thresholds') throw new Error('expected per-label thresholds');
    expect(rule.thresholds[0]).toBeCloseTo(0.6, 6);
    expect(rule.thresholds[1]).toBeCloseTo(0.2, 6);
    const decided = applyRule(rule, p, 2);
    expect(Array.from(decided)).toEqual(Array.from(y.data));
  });
});

describe('crossValidateCandidates', () => {
  it('scores every candidate out of fold and a perfect ranking gives one group per row', () => {
    const { y, scores } = oneLabelRows(300, 3);
    const results = crossValidateCandidates(scores, y, { folds: 3, seed: 1 });
    expect(results).toHaveLength(CANDIDATES.length);
    const chosen = chooseCandidate(results);
    expect(chosen.microF1).toBe(1);
    expect(chosen.predictedPerRow).toBe(1);
    const topk = results.find((r) => r.candidate.rule === 'top-k')!;
    expect(topk.samplesF1).toBe(1);
  });
});

describe('chooseCandidate', () => {
  const result = (criterion: number, predictedPerRow: number, i: number): CandidateResult => ({
    candidate: CANDIDATES[i]!,
    name: `c${i}`,
    samplesF1: criterion,
    microF1: criterion,
    macroF1: criterion,
    criterion,
    predictedPerRow,
    truePerRow: 2,
  });
  it('takes the best criterion among rules within 0.3 groups per row of the truth', () => {
    const r = chooseCandidate([result(0.7, 2.9, 0), result(0.65, 2.2, 1), result(0.6, 2, 2)]);
    expect(r.name).toBe('c1');
  });
  it('falls back to the nearest count when none is within', () => {
    expect(chooseCandidate([result(0.7, 3, 0), result(0.6, 2.5, 1)]).name).toBe('c1');
  });
});

describe('fitRule count tolerance', () => {
  it('keeps the cut predicting within 0.3 groups per row of the truth, though a lower cut scores more', () => {
    // Calibrated scores q (uniform, 0–0.6) and labels drawn with probability q: F1 rewards a cut
    // well below 0.5, which predicts far more labels per row than the rows have.
    const rnd = mulberry32(21);
    const rows = 400;
    const cols = 7;
    const scores = Float32Array.from({ length: rows * cols }, () => 0.6 * rnd());
    const data = Uint8Array.from(scores, (q) => +(rnd() < q));
    const y: LabelMatrix = { rows, cols, data };
    const at = (cut: number) =>
      scoreDecisions(y, applyRule({ kind: 'global', cut, minOne: false }, scores, cols));
    const free = Array.from({ length: 91 }, (_, i) => 0.05 + i * 0.01).reduce((a, b) =>
      at(b).criterion > at(a).criterion ? b : a,
    );
    expect(at(free).predictedPerRow - at(free).truePerRow).toBeGreaterThan(0.3); // the trap
    const r = fitRule('global', false, scores, y);
    if (r.kind !== 'global') throw new Error('expected a global rule');
    const s = at(r.cut);
    expect(Math.abs(s.predictedPerRow - s.truePerRow)).toBeLessThanOrEqual(0.3);
  });
});
