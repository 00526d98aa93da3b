/**
 * Per-movie ranking of labels by score (scikit-learn 1.2 definitions; ties rank every tied label
 * at the lowest place of the tie, sklearn's rankdata 'max'), and per-label confusion counts.
 */
import { assertSameShape, type LabelMatrix } from './label-matrix.ts';
import { checkScores } from './ranking.ts';

function rowOf(yTrue: LabelMatrix, scores: ArrayLike<number>, r: number) {
  const start = r * yTrue.cols;
  const truth: boolean[] = [];
  const score: number[] = [];
  for (let c = 0; c < yTrue.cols; c++) {
    truth.push(yTrue.data[start + c] !== 0);
    score.push(scores[start + c] as number);
  }
  return { truth, score, positives: truth.filter(Boolean).length };
}

function meanOverRows(
  yTrue: LabelMatrix,
  scores: ArrayLike<number>,
  perRow: (row: ReturnType<typeof rowOf>) => number,
): number {
  checkScores(yTrue, scores);
  if (yTrue.rows === 0) throw new RangeError('no rows to evaluate');
  let sum = 0;
  for (let r = 0; r < yTrue.rows; r++) sum += perRow(rowOf(yTrue, scores, r));
  return sum / yTrue.rows;
}

/**
 * sklearn coverage_error: how far down each movie's ranked labels one must go to cover all its
 * true labels (mean over movies; a movie with no true label counts 0).
 */
export function coverageError(yTrue: LabelMatrix, scores: ArrayLike<number>): number {
  return meanOverRows(yTrue, scores, ({ truth, score, positives }) => {
    if (positives === 0) return 0;
    const lowest = Math.min(...score.filter((_, c) => truth[c]));
    return score.filter((s) => s >= lowest).length;
  });
}

/**
 * sklearn label_ranking_average_precision_score: for each true label, the share of true labels
 * among those ranked at or above it, averaged; a movie whose labels are all true or all false
 * scores 1.
 */
export function labelRankingAveragePrecision(
  yTrue: LabelMatrix,
  scores: ArrayLike<number>,
): number {
  return meanOverRows(yTrue, scores, ({ truth, score, positives }) => {
    if (positives === 0 || positives === truth.length) return 1;
    let sum = 0;
    truth.forEach((t, j) => {
      if (!t) return;
      const atOrAbove = score.filter((s) => s >= score[j]!).length;
      const trueAtOrAbove = score.filter((s, k) => truth[k] && s >= score[j]!).length;
      sum += trueAtOrAbove / atOrAbove;
    });
    return sum / positives;
  });
}

/**
 * sklearn label_ranking_loss: the share of (true, false) label pairs of a movie ranked wrongly,
 * a tie counting as wrong; 0 for a movie whose labels are all true or all false.
 */
export function labelRankingLoss(yTrue: LabelMatrix, scores: ArrayLike<number>): number {
  return meanOverRows(yTrue, scores, ({ truth, score, positives }) => {
    if (positives === 0 || positives === truth.length) return 0;
    let wrong = 0;
    truth.forEach((t, j) => {
      if (t) truth.forEach((f, k) => (wrong += !f && score[k]! >= score[j]! ? 1 : 0));
    });
    return wrong / (positives * (truth.length - positives));
  });
}

/** One label's confusion counts (sklearn multilabel_confusion_matrix gives [[tn, fp], [fn, tp]]). */
export interface ConfusionCounts {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** sklearn multilabel_confusion_matrix: true/false negatives and positives of every label. */
export function multilabelConfusion(yTrue: LabelMatrix, yPred: LabelMatrix): ConfusionCounts[] {
  assertSameShape(yTrue, yPred);
  const out = Array.from({ length: yTrue.cols }, () => ({ tn: 0, fp: 0, fn: 0, tp: 0 }));
  for (let i = 0; i < yTrue.data.length; i++) {
    const counts = out[i % yTrue.cols]!;
    const t = yTrue.data[i] !== 0;
    const p = yPred.data[i] !== 0;
    if (t) counts[p ? 'tp' : 'fn']++;
    else counts[p ? 'fp' : 'tn']++;
  }
  return out;
}
