/**
 * Decision rules that turn a poster's (calibrated) group probabilities into predicted groups, and
 * their choice by cross-validation on out-of-fold training scores. Candidates: per-label
 * thresholds (each label's F1-best cut, or each label predicted at its base rate), one global cut, the top k, and the probability-mass rule
 * (the fewest top groups holding a share of the row's probability mass), each on uncalibrated,
 * Platt- or isotonic-calibrated probabilities. Pure: no tf, no I/O.
 */
import { kFold } from '../features/splits.ts';
import type { LabelMatrix } from '../metrics/index.ts';
import { bestThreshold } from '../models/thresholds.ts';
import {
  calibrateRows,
  fitCalibrators,
  type CalibrationKind,
  type Calibrator,
} from './calibration.ts';

/** A rule on one row of calibrated probabilities. `minOne` adds the top group when none passes. */
export type DecisionRule =
  | { kind: 'thresholds'; thresholds: number[]; minOne: boolean }
  | { kind: 'global'; cut: number; minOne: boolean }
  | { kind: 'top-k'; k: number }
  | { kind: 'mass'; share: number };

export type RuleKind = DecisionRule['kind'];
/**
 * How a candidate's rule is fitted: a rule kind (its numbers by the criterion), or 'prevalence':
 * per-label thresholds predicting each label as often as it is true on the fitting rows (a
 * 'thresholds' rule; it keeps rare labels that one global cut gives up, which favours macro-F1).
 */
export type RuleFamily = RuleKind | 'prevalence';

/** Everything needed to decide: per-label calibrators, then the rule on their output. */
export interface Decision {
  calibrators: Calibrator[];
  rule: DecisionRule;
}

/** Indices of a row's probabilities from highest to lowest (ties by label order). */
function ranked(p: ArrayLike<number>, from: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, c) => c).sort(
    (a, b) => p[from + b]! - p[from + a]! || a - b,
  );
}

/** Predicted labels (0/1) of row-major calibrated probabilities under a rule. */
export function applyRule(rule: DecisionRule, p: ArrayLike<number>, cols: number): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let s = 0; s < p.length; s += cols) {
    let any = false;
    if (rule.kind === 'thresholds' || rule.kind === 'global') {
      for (let c = 0; c < cols; c++) {
        const t = rule.kind === 'global' ? rule.cut : rule.thresholds[c]!;
        if (p[s + c]! >= t) {
          out[s + c] = 1;
          any = true;
        }
      }
      if (!any && rule.minOne) out[s + ranked(p, s, cols)[0]!] = 1;
    } else if (rule.kind === 'top-k') {
      for (const c of ranked(p, s, cols).slice(0, rule.k)) out[s + c] = 1;
    } else {
      let total = 0;
      for (let c = 0; c < cols; c++) total += p[s + c]!;
      let held = 0;
      for (const c of ranked(p, s, cols)) {
        out[s + c] = 1;
        held += p[s + c]!;
        if (held >= rule.share * total - 1e-12) break;
      }
    }
  }
  return out;
}

/** The decided labels of probabilities: calibrate, then apply the rule. */
export function decide(d: Decision, probs: ArrayLike<number>): Uint8Array {
  return applyRule(d.rule, calibrateRows(d.calibrators, probs), d.calibrators.length);
}

/** The figures a rule is chosen on: samples-F1, micro-F1, their mean, and predicted vs true groups per row. */
export interface RuleScore {
  samplesF1: number;
  microF1: number;
  macroF1: number;
  /** (samples-F1 + micro-F1) / 2, the selection criterion. */
  criterion: number;
  predictedPerRow: number;
  truePerRow: number;
}

/**
 * Scores predictions against the truth in one pass (the rule search calls it thousands of times):
 * the same definitions as metrics/multilabel.ts with zero_division = 0 (checked against it in the test).
 */
export function scoreDecisions(y: LabelMatrix, predicted: Uint8Array): RuleScore {
  const { rows, cols } = y;
  const tp = new Float64Array(cols);
  const fp = new Float64Array(cols);
  const fn = new Float64Array(cols);
  let samples = 0;
  let np = 0;
  let nt = 0;
  for (let r = 0; r < rows; r++) {
    let rtp = 0;
    let rp = 0;
    let rt = 0;
    for (let c = 0; c < cols; c++) {
      const t = y.data[r * cols + c]! ? 1 : 0;
      const p = predicted[r * cols + c]! ? 1 : 0;
      rtp += t & p;
      rp += p;
      rt += t;
      if (t && p) tp[c]!++;
      else if (p) fp[c]!++;
      else if (t) fn[c]!++;
    }
    samples += rp + rt === 0 ? 0 : (2 * rtp) / (rp + rt);
    np += rp;
    nt += rt;
  }
  const f1 = (a: number, b: number, c: number) =>
    2 * a + b + c === 0 ? 0 : (2 * a) / (2 * a + b + c);
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const microF1 = f1(sum(tp), sum(fp), sum(fn));
  const samplesF1 = samples / Math.max(1, rows);
  let macro = 0;
  for (let c = 0; c < cols; c++) macro += f1(tp[c]!, fp[c]!, fn[c]!);
  return {
    samplesF1,
    microF1,
    macroF1: macro / cols,
    criterion: (samplesF1 + microF1) / 2,
    predictedPerRow: np / Math.max(1, rows),
    truePerRow: nt / Math.max(1, rows),
  };
}

/** Groups per row allowed between the predicted and the true average for a rule to be eligible. */
export const COUNT_TOLERANCE = 0.3;

const GLOBAL_CUTS = Array.from({ length: 91 }, (_, i) => 0.05 + i * 0.01);
const MASS_SHARES = Array.from({ length: 14 }, (_, i) => 0.3 + i * 0.05);

/** Fits a rule's free numbers on calibrated probabilities (the criterion's best grid point, see `best`). */
export function fitRule(
  kind: RuleFamily,
  minOne: boolean,
  p: Float32Array,
  y: LabelMatrix,
): DecisionRule {
  // the grid point with the best criterion among those predicting within COUNT_TOLERANCE groups
  // per row of the truth on these rows (all points when none is)
  const best = (rules: DecisionRule[]) => {
    const scored = rules.map((r) => ({ r, s: scoreDecisions(y, applyRule(r, p, y.cols)) }));
    const near = scored.filter(
      ({ s }) => Math.abs(s.predictedPerRow - s.truePerRow) <= COUNT_TOLERANCE,
    );
    const pool = near.length ? near : scored;
    return pool.reduce((a, b) => (b.s.criterion > a.s.criterion + 1e-12 ? b : a)).r;
  };
  if (kind === 'prevalence') {
    const thresholds = Array.from({ length: y.cols }, (_, c) => {
      const s: number[] = [];
      let positives = 0;
      for (let r = 0; r < y.rows; r++) {
        s.push(p[r * y.cols + c]!);
        positives += y.data[r * y.cols + c]! ? 1 : 0;
      }
      if (positives === 0) return 1;
      s.sort((a, b) => b - a);
      // the cut that keeps the `positives` highest scores (ties may add a few)
      return s[positives - 1]!;
    });
    return { kind: 'thresholds', thresholds, minOne };
  }
  if (kind === 'thresholds') {
    const thresholds = Array.from({ length: y.cols }, (_, c) => {
      const s = new Float32Array(y.rows);
      const t = new Uint8Array(y.rows);
      for (let r = 0; r < y.rows; r++) {
        s[r] = p[r * y.cols + c]!;
        t[r] = y.data[r * y.cols + c]!;
      }
      return bestThreshold(s, t, 'f1');
    });
    return { kind, thresholds, minOne };
  }
  if (kind === 'global') return best(GLOBAL_CUTS.map((cut) => ({ kind, cut, minOne })));
  if (kind === 'top-k')
    return best(Array.from({ length: Math.min(4, y.cols) }, (_, i) => ({ kind, k: i + 1 })));
  return best(MASS_SHARES.map((share) => ({ kind, share })));
}

/** One candidate of the search: a calibration and a rule family. */
export interface Candidate {
  calibration: CalibrationKind;
  rule: RuleFamily;
  minOne: boolean;
}

export const CANDIDATES: readonly Candidate[] = (['none', 'platt', 'isotonic'] as const).flatMap(
  (calibration) => [
    { calibration, rule: 'thresholds' as const, minOne: false },
    { calibration, rule: 'thresholds' as const, minOne: true },
    { calibration, rule: 'prevalence' as const, minOne: false },
    { calibration, rule: 'prevalence' as const, minOne: true },
    { calibration, rule: 'global' as const, minOne: false },
    { calibration, rule: 'global' as const, minOne: true },
    { calibration, rule: 'top-k' as const, minOne: false },
    { calibration, rule: 'mass' as const, minOne: false },
  ],
);

/** Fits a candidate (calibrators, then the rule on their output) on scored rows. */
export function fitDecision(c: Candidate, scores: Float32Array, y: LabelMatrix): Decision {
  const calibrators = fitCalibrators(c.calibration, scores, y.data, y.cols);
  const rule = fitRule(c.rule, c.minOne, calibrateRows(calibrators, scores), y);
  return { calibrators, rule };
}

export const candidateName = (c: Candidate): string =>
  `${c.rule === 'prevalence' ? 'thresholds at base rates' : c.rule}${c.minOne ? ' (at least 1)' : ''}, ${c.calibration === 'none' ? 'uncalibrated' : c.calibration}`;

/** A candidate's cross-validated figures. */
export interface CandidateResult extends RuleScore {
  candidate: Candidate;
  name: string;
}

/**
 * Cross-validates every candidate on out-of-fold scores of training rows: the rows are split in
 * `folds` stratified folds; on each, calibrators and the rule's numbers are fitted on the other
 * folds and applied to it; the pooled decisions are scored once.
 */
export function crossValidateCandidates(
  oof: Float32Array,
  y: LabelMatrix,
  options: { folds: number; seed: number; keys?: readonly string[] },
  candidates: readonly Candidate[] = CANDIDATES,
): CandidateResult[] {
  const splits = kFold(y, { k: options.folds, seed: options.seed, keys: options.keys });
  const take = (rows: number[]) => {
    const s = new Float32Array(rows.length * y.cols);
    const d = new Uint8Array(rows.length * y.cols);
    rows.forEach((r, i) => {
      s.set(oof.subarray(r * y.cols, (r + 1) * y.cols), i * y.cols);
      d.set(y.data.subarray(r * y.cols, (r + 1) * y.cols), i * y.cols);
    });
    return { s, y: { rows: rows.length, cols: y.cols, data: d } };
  };
  const parts = splits.map((sp) => ({ fit: take(sp.train), test: take(sp.test), rows: sp.test }));
  return candidates.map((candidate) => {
    const predicted = new Uint8Array(y.rows * y.cols);
    for (const part of parts) {
      const d = fitDecision(candidate, part.fit.s, part.fit.y);
      const out = decide(d, part.test.s);
      part.rows.forEach((r, i) =>
        predicted.set(out.subarray(i * y.cols, (i + 1) * y.cols), r * y.cols),
      );
    }
    return { candidate, name: candidateName(candidate), ...scoreDecisions(y, predicted) };
  });
}

/**
 * The selection criterion, stated once: among candidates whose cross-validated predicted groups
 * per row is within COUNT_TOLERANCE of the true average, the highest (samples-F1 + micro-F1) / 2;
 * if none is within, the one nearest the true average. Ties keep the earlier candidate.
 */
export function chooseCandidate(results: readonly CandidateResult[]): CandidateResult {
  const gap = (r: CandidateResult) => Math.abs(r.predictedPerRow - r.truePerRow);
  const eligible = results.filter((r) => gap(r) <= COUNT_TOLERANCE);
  if (eligible.length === 0) return [...results].sort((a, b) => gap(a) - gap(b))[0]!;
  return eligible.reduce((a, b) => (b.criterion > a.criterion + 1e-12 ? b : a));
}

export const SELECTION_CRITERION =
  `highest cross-validated (samples-F1 + micro-F1) / 2 among rules whose cross-validated ` +
  `predicted groups per poster is within ${COUNT_TOLERANCE} of the true average`;
