/**
 * Threshold-free metrics of scores (probabilities or any decision value), following
 * scikit-learn 1.2: ROC and precision–recall curves of one label, ROC AUC and average precision
 * per label with their micro and macro averages.
 *
 * Undefined values are NaN, never thrown: the ROC AUC of a label with one class only (sklearn
 * raises ValueError). Macro averages skip NaN labels (the mean over the labels where the metric is
 * defined; NaN when none is), so a test split where one label never occurs still has a macro AUC:
 * sklearn's macro over the other labels. Average precision is always defined, as in sklearn: a
 * label with no positive has recall 1 at every threshold and AP 0; a label with only positives
 * has AP 1. Both count in the macro average, as in sklearn.
 */
import { type LabelMatrix } from './label-matrix.ts';

/** sklearn roc_curve: false and true positive rates at decreasing thresholds, from (0, 0). */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** thresholds[0] is max score + 1 (sklearn 1.2), so the first point predicts nothing. */
  thresholds: number[];
}

/** sklearn precision_recall_curve: by increasing threshold, ending at (recall 0, precision 1). */
export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** A metric per label and its micro (all cells pooled) and macro (mean over labels) averages. */
export interface Averaged {
  perLabel: number[];
  micro: number;
  macro: number;
}

function checkBinary(truth: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (truth.length !== scores.length)
    throw new RangeError(`${truth.length} truths but ${scores.length} scores`);
  if (truth.length === 0) throw new RangeError('no scores to evaluate');
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is not a finite number`);
}

/**
 * sklearn _binary_clf_curve: counts of false and true positives at each distinct score, from the
 * highest down (a tie is one threshold: its rows switch to positive together).
 */
export function binaryCounts(truth: ArrayLike<number>, scores: ArrayLike<number>) {
  checkBinary(truth, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (truth[i]) tp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(scores[i] as number);
    }
  }
  return { fps, tps, thresholds };
}

/** sklearn roc_curve; drop_intermediate (default) keeps only the corners of the curve. */
export function binaryRocCurve(
  truth: ArrayLike<number>,
  scores: ArrayLike<number>,
  opts: { dropIntermediate?: boolean } = {},
): RocCurve {
  let { fps, tps, thresholds } = binaryCounts(truth, scores);
  if ((opts.dropIntermediate ?? true) && fps.length > 2) {
    // Keep a point unless both counts change linearly through it (second difference 0).
    const keep = fps.map(
      (_, i) =>
        i === 0 ||
        i === fps.length - 1 ||
        fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 ||
        tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0,
    );
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  fps = [0, ...fps];
  tps = [0, ...tps];
  thresholds = [thresholds[0]! + 1, ...thresholds];
  const negatives = fps.at(-1)!;
  const positives = tps.at(-1)!;
  return {
    fpr: fps.map((f) => (negatives > 0 ? f / negatives : NaN)),
    tpr: tps.map((t) => (positives > 0 ? t / positives : NaN)),
    thresholds,
  };
}

/** Area under the ROC curve (trapezoids); NaN when the truth has one class only. */
export function binaryRocAuc(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fpr, tpr } = binaryRocCurve(truth, scores);
  if (Number.isNaN(fpr[1]) || Number.isNaN(tpr[1])) return NaN;
  let area = 0;
  for (let i = 1; i < fpr.length; i++)
    area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return area;
}

/** sklearn precision_recall_curve (every distinct score a threshold; recall 1 when no positive). */
export function binaryPrecisionRecallCurve(
  truth: ArrayLike<number>,
  scores: ArrayLike<number>,
): PrCurve {
  const { fps, tps, thresholds } = binaryCounts(truth, scores);
  const positives = tps.at(-1)!;
  const precision = tps.map((t, i) => (t + fps[i]! === 0 ? 0 : t / (t + fps[i]!)));
  const recall = tps.map((t) => (positives === 0 ? 1 : t / positives));
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: thresholds.reverse(),
  };
}

/** sklearn average_precision_score: sum over thresholds of (R_n − R_{n−1}) · P_n (no interpolation). */
export function binaryAveragePrecision(
  truth: ArrayLike<number>,
  scores: ArrayLike<number>,
): number {
  const { precision, recall } = binaryPrecisionRecallCurve(truth, scores);
  let ap = 0;
  for (let i = 0; i + 1 < recall.length; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}

/** Column c of a row-major rows × cols array (labels or scores), as float64. */
export function column(data: ArrayLike<number>, cols: number, c: number): Float64Array {
  const rows = Math.floor(data.length / cols);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = data[r * cols + c] as number;
  return out;
}

/** Throws a RangeError unless scores has one value per cell of yTrue. */
export function checkScores(yTrue: LabelMatrix, scores: ArrayLike<number>): void {
  if (scores.length !== yTrue.rows * yTrue.cols)
    throw new RangeError(
      `scores has ${scores.length} values, expected ${yTrue.rows}×${yTrue.cols}`,
    );
}

/** Mean of the defined (non-NaN) values; NaN when there is none. */
export function nanMean(values: readonly number[]): number {
  const defined = values.filter((v) => !Number.isNaN(v));
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : NaN;
}

function averaged(
  yTrue: LabelMatrix,
  scores: ArrayLike<number>,
  metric: (truth: ArrayLike<number>, scores: ArrayLike<number>) => number,
): Averaged {
  checkScores(yTrue, scores);
  const perLabel = Array.from({ length: yTrue.cols }, (_, c) =>
    metric(column(yTrue.data, yTrue.cols, c), column(scores, yTrue.cols, c)),
  );
  return { perLabel, micro: metric(yTrue.data, scores), macro: nanMean(perLabel) };
}

/** sklearn roc_auc_score with average=None, 'micro' and 'macro' (NaN for one-class labels). */
export function rocAuc(yTrue: LabelMatrix, scores: ArrayLike<number>): Averaged {
  return averaged(yTrue, scores, binaryRocAuc);
}

/** sklearn average_precision_score with average=None, 'micro' and 'macro'. */
export function averagePrecision(yTrue: LabelMatrix, scores: ArrayLike<number>): Averaged {
  return averaged(yTrue, scores, binaryAveragePrecision);
}
