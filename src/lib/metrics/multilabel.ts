/**
 * Multi-label metrics over 0/1 label matrices (see label-matrix.ts), following scikit-learn 1.2
 * with `zero_division=0`: any precision, recall or F1 whose denominator is 0 counts as 0 (so a
 * label that is never true and never predicted has F1 0 and still counts in the macro mean, and
 * a movie with no true and no predicted label has a samples-F1 of 0).
 *
 * Naming note: the CS109b paper "Neural Netflix" swaps the definitions of "percent exact" and
 * "percent at least one" in its text, while its result tables use the names as here:
 * exact = every label of the movie right (subset accuracy); at least one = one predicted label
 * is a true label.
 */
import { assertSameShape, labelCounts, type LabelMatrix } from './label-matrix.ts';

/** Precision, recall, F1 and support (number of true rows) of one label. */
export interface LabelScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * The six scalar metrics every run, fold and model card reports (every rate a fraction in
 * [0, 1]); the one declaration of these fields.
 */
export interface ScalarMetrics {
  hammingLoss: number;
  exactMatch: number;
  atLeastOne: number;
  microF1: number;
  macroF1: number;
  samplesF1: number;
}

/** The keys of ScalarMetrics, in the order tables show them. */
export const SCALAR_METRICS: readonly (keyof ScalarMetrics)[] = [
  'hammingLoss',
  'exactMatch',
  'atLeastOne',
  'microF1',
  'macroF1',
  'samplesF1',
];

/** All the studio's multi-label metrics at once; every rate is a fraction in [0, 1]. */
export interface MultiLabelReport extends ScalarMetrics {
  perLabel: LabelScore[];
  /** Mean number of true labels per movie (of yTrue). */
  cardinality: number;
}

function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den; // scikit-learn zero_division=0
}

function f1Of(tp: number, fp: number, fn: number): number {
  return ratio(2 * tp, 2 * tp + fp + fn);
}

/** Share of (movie, label) cells predicted wrong. */
export function hammingLoss(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  assertSameShape(yTrue, yPred);
  let wrong = 0;
  for (let i = 0; i < yTrue.data.length; i++) if (yTrue.data[i] !== yPred.data[i]) wrong++;
  return ratio(wrong, yTrue.data.length);
}

/** Subset accuracy: share of movies whose predicted label set equals the true set exactly. */
export function exactMatch(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  assertSameShape(yTrue, yPred);
  let hits = 0;
  for (let r = 0; r < yTrue.rows; r++) {
    let same = true;
    for (let c = 0, i = r * yTrue.cols; c < yTrue.cols; c++, i++) {
      if (yTrue.data[i] !== yPred.data[i]) {
        same = false;
        break;
      }
    }
    if (same) hits++;
  }
  return ratio(hits, yTrue.rows);
}

/**
 * Share of ALL movies with at least one predicted label that is also a true label. A movie with
 * no predicted label (or no true label) is a miss; the denominator is every movie.
 */
export function atLeastOne(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  assertSameShape(yTrue, yPred);
  let hits = 0;
  for (let r = 0; r < yTrue.rows; r++) {
    for (let c = 0, i = r * yTrue.cols; c < yTrue.cols; c++, i++) {
      if (yTrue.data[i] && yPred.data[i]) {
        hits++;
        break;
      }
    }
  }
  return ratio(hits, yTrue.rows);
}

/** Per-label true positives, false positives and false negatives. */
function confusionPerLabel(yTrue: LabelMatrix, yPred: LabelMatrix) {
  assertSameShape(yTrue, yPred);
  const tp = new Array<number>(yTrue.cols).fill(0);
  const fp = new Array<number>(yTrue.cols).fill(0);
  const fn = new Array<number>(yTrue.cols).fill(0);
  for (let r = 0; r < yTrue.rows; r++) {
    for (let c = 0, i = r * yTrue.cols; c < yTrue.cols; c++, i++) {
      const t = yTrue.data[i] !== 0;
      const p = yPred.data[i] !== 0;
      if (t && p) tp[c]! += 1;
      else if (p) fp[c]! += 1;
      else if (t) fn[c]! += 1;
    }
  }
  return { tp, fp, fn };
}

/** Precision, recall, F1 and support for every label (columns in order). */
export function perLabelScores(yTrue: LabelMatrix, yPred: LabelMatrix): LabelScore[] {
  const { tp, fp, fn } = confusionPerLabel(yTrue, yPred);
  return tp.map((t, c) => {
    const f = fp[c]!;
    const n = fn[c]!;
    return {
      precision: ratio(t, t + f),
      recall: ratio(t, t + n),
      f1: f1Of(t, f, n),
      support: t + n,
    };
  });
}

/** F1 from the summed counts of all labels (scikit-learn average='micro'). */
export function microF1(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  const { tp, fp, fn } = confusionPerLabel(yTrue, yPred);
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  return f1Of(sum(tp), sum(fp), sum(fn));
}

/** Unweighted mean of the per-label F1 scores (scikit-learn average='macro'). */
export function macroF1(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  const scores = perLabelScores(yTrue, yPred);
  return ratio(
    scores.reduce((s, l) => s + l.f1, 0),
    scores.length,
  );
}

/** Mean over movies of each movie's F1 between its true and predicted sets (average='samples'). */
export function samplesF1(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  assertSameShape(yTrue, yPred);
  let total = 0;
  for (let r = 0; r < yTrue.rows; r++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let c = 0, i = r * yTrue.cols; c < yTrue.cols; c++, i++) {
      const t = yTrue.data[i] !== 0;
      const p = yPred.data[i] !== 0;
      if (t && p) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    total += f1Of(tp, fp, fn);
  }
  return ratio(total, yTrue.rows);
}

/** Mean number of labels per movie. */
export function labelCardinality(y: LabelMatrix): number {
  return ratio(
    labelCounts(y).reduce((s, v) => s + v, 0),
    y.rows,
  );
}

/** Every metric above in one object. */
export function evaluate(yTrue: LabelMatrix, yPred: LabelMatrix): MultiLabelReport {
  return {
    hammingLoss: hammingLoss(yTrue, yPred),
    exactMatch: exactMatch(yTrue, yPred),
    atLeastOne: atLeastOne(yTrue, yPred),
    microF1: microF1(yTrue, yPred),
    macroF1: macroF1(yTrue, yPred),
    samplesF1: samplesF1(yTrue, yPred),
    perLabel: perLabelScores(yTrue, yPred),
    cardinality: labelCardinality(yTrue),
  };
}

/**
 * Turns row-major scores (e.g. sigmoid outputs) into predicted labels: label c is on when
 * `score >= threshold` (one threshold for all labels, or one per column).
 */
export function thresholdScores(
  scores: Float32Array,
  rows: number,
  cols: number,
  thresholds: number | number[],
): LabelMatrix {
  if (scores.length !== rows * cols) {
    throw new RangeError(`scores has ${scores.length} values, expected ${rows}×${cols}`);
  }
  if (Array.isArray(thresholds) && thresholds.length !== cols) {
    throw new RangeError(`${thresholds.length} thresholds for ${cols} labels`);
  }
  const data = new Uint8Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const t = typeof thresholds === 'number' ? thresholds : (thresholds[i % cols] as number);
    data[i] = (scores[i] as number) >= t ? 1 : 0;
  }
  return { rows, cols, data };
}
