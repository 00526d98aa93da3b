/**
 * Scores of probabilities as probabilities (scikit-learn 1.2 definitions): log loss and Brier
 * score, and calibration, i.e. whether "70 %" happens about 70 % of the time: reliability bins and
 * the expected calibration error. Multi-label matrices are scored cell by cell: every (movie,
 * label) probability is one binary prediction, so pass `yTrue.data` and the row-major scores.
 */
import { type LabelMatrix } from './label-matrix.ts';
import { checkScores, column } from './ranking.ts';

/** The default clip of log loss (sklearn's documented eps before it became dtype-dependent). */
export const LOG_LOSS_EPS = 1e-15;

function checkProbs(truth: ArrayLike<number>, probs: ArrayLike<number>): void {
  if (truth.length !== probs.length)
    throw new RangeError(`${truth.length} truths but ${probs.length} probabilities`);
  if (truth.length === 0) throw new RangeError('no probabilities to evaluate');
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${i} is ${p}, not in [0, 1]`);
  }
}

/**
 * Mean binary cross-entropy, −mean(y·ln p + (1−y)·ln(1−p)), with p clipped to [eps, 1 − eps]
 * (= sklearn log_loss(y.ravel(), p.ravel(), eps=eps) for a matrix flattened to its cells).
 */
export function logLoss(
  truth: ArrayLike<number>,
  probs: ArrayLike<number>,
  eps = LOG_LOSS_EPS,
): number {
  checkProbs(truth, probs);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(Math.max(probs[i] as number, eps), 1 - eps);
    sum -= truth[i] ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probs.length;
}

/** Mean squared difference between probability and outcome (sklearn brier_score_loss). */
export function brierScore(truth: ArrayLike<number>, probs: ArrayLike<number>): number {
  checkProbs(truth, probs);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += ((probs[i] as number) - (truth[i] ? 1 : 0)) ** 2;
  return sum / probs.length;
}

/** Log loss of each label's column. */
export function perLabelLogLoss(
  yTrue: LabelMatrix,
  probs: ArrayLike<number>,
  eps = LOG_LOSS_EPS,
): number[] {
  checkScores(yTrue, probs);
  return Array.from({ length: yTrue.cols }, (_, c) =>
    logLoss(column(yTrue.data, yTrue.cols, c), column(probs, yTrue.cols, c), eps),
  );
}

/** Brier score of each label's column. */
export function perLabelBrier(yTrue: LabelMatrix, probs: ArrayLike<number>): number[] {
  checkScores(yTrue, probs);
  return Array.from({ length: yTrue.cols }, (_, c) =>
    brierScore(column(yTrue.data, yTrue.cols, c), column(probs, yTrue.cols, c)),
  );
}

/** One non-empty bin of a reliability diagram. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Mean predicted probability of the bin's predictions. */
  meanPredicted: number;
  /** Share of them that were positive. */
  observed: number;
  count: number;
}

/**
 * Equal-width bins over [0, 1], exactly as sklearn calibration_curve(strategy='uniform'): bin b
 * is (b/n, (b+1)/n], the first also holding 0. Empty bins are left out, as sklearn does.
 */
export function reliabilityBins(
  truth: ArrayLike<number>,
  probs: ArrayLike<number>,
  nBins = 10,
): ReliabilityBin[] {
  checkProbs(truth, probs);
  if (!Number.isInteger(nBins) || nBins < 1)
    throw new RangeError(`nBins must be a positive integer, got ${nBins}`);
  // numpy linspace(0, 1, n + 1) computes edge i as i * (1 / n); the same floats here.
  const step = 1 / nBins;
  const edges = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i * step));
  const sums = new Float64Array(nBins);
  const positives = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    // np.searchsorted(edges[1:-1], p): the number of inner edges strictly below p.
    let b = Math.min(nBins - 1, Math.max(0, Math.ceil(p / step) - 1));
    while (b > 0 && edges[b]! >= p) b--;
    while (b < nBins - 1 && edges[b + 1]! < p) b++;
    sums[b]! += p;
    positives[b]! += truth[i] ? 1 : 0;
    counts[b]! += 1;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const n = counts[b]!;
    if (n === 0) continue;
    out.push({
      lower: edges[b]!,
      upper: edges[b + 1]!,
      meanPredicted: sums[b]! / n,
      observed: positives[b]! / n,
      count: n,
    });
  }
  return out;
}

/** Expected calibration error: Σ over bins of (count / N) · |meanPredicted − observed|. */
export function expectedCalibrationError(
  truth: ArrayLike<number>,
  probs: ArrayLike<number>,
  nBins = 10,
): number {
  return eceOfBins(reliabilityBins(truth, probs, nBins));
}

/** The expected calibration error that reliability bins imply (NaN for no bins). */
export function eceOfBins(bins: readonly ReliabilityBin[]): number {
  const total = bins.reduce((s, b) => s + b.count, 0);
  if (total === 0) return NaN;
  return bins.reduce((s, b) => s + (b.count / total) * Math.abs(b.meanPredicted - b.observed), 0);
}
