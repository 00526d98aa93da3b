/**
 * Everything the studio records about a model's scores on a test split, in plain JSON: the
 * ranking and calibration metrics (undefined values as null, since JSON has no NaN) and the
 * curves a run detail draws, thinned to what a chart can show.
 */
import { assertSameShape, type LabelMatrix } from './label-matrix.ts';
import {
  coverageError,
  labelRankingAveragePrecision,
  labelRankingLoss,
  multilabelConfusion,
  type ConfusionCounts,
} from './label-ranking.ts';
import {
  brierScore,
  expectedCalibrationError,
  logLoss,
  perLabelBrier,
  perLabelLogLoss,
  reliabilityBins,
  type ReliabilityBin,
} from './probability.ts';
import {
  averagePrecision,
  binaryPrecisionRecallCurve,
  binaryRocCurve,
  checkScores,
  column,
  rocAuc,
  type Averaged,
} from './ranking.ts';

/** Averaged with undefined values (NaN) as null. */
export interface StoredAverage {
  perLabel: (number | null)[];
  micro: number | null;
  macro: number | null;
}

/** Ranking and calibration metrics of a run's test split. */
export interface RankingMetrics {
  rocAuc: StoredAverage;
  averagePrecision: StoredAverage;
  /** Mean binary cross-entropy over all cells, and per label. */
  logLoss: number;
  perLabelLogLoss: number[];
  /** Mean squared error of the probabilities over all cells, and per label. */
  brier: number;
  perLabelBrier: number[];
  /** Expected calibration error over all cells, 10 equal-width bins. */
  ece: number;
  coverageError: number;
  /** Label-ranking average precision. */
  lrap: number;
  labelRankingLoss: number;
  /** Per-label confusion counts at the run's decision thresholds. */
  confusion: ConfusionCounts[];
}

/** The number of reliability bins the studio uses (ECE and the reliability diagram). */
export const RELIABILITY_BINS = 10;

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

function stored(a: Averaged): StoredAverage {
  return { perLabel: a.perLabel.map(orNull), micro: orNull(a.micro), macro: orNull(a.macro) };
}

/** All ranking and calibration metrics of probabilities `scores` (row-major) and decisions `yPred`. */
export function rankingMetrics(
  yTrue: LabelMatrix,
  scores: ArrayLike<number>,
  yPred: LabelMatrix,
): RankingMetrics {
  checkScores(yTrue, scores);
  assertSameShape(yTrue, yPred);
  return {
    rocAuc: stored(rocAuc(yTrue, scores)),
    averagePrecision: stored(averagePrecision(yTrue, scores)),
    logLoss: logLoss(yTrue.data, scores),
    perLabelLogLoss: perLabelLogLoss(yTrue, scores),
    brier: brierScore(yTrue.data, scores),
    perLabelBrier: perLabelBrier(yTrue, scores),
    ece: expectedCalibrationError(yTrue.data, scores, RELIABILITY_BINS),
    coverageError: coverageError(yTrue, scores),
    lrap: labelRankingAveragePrecision(yTrue, scores),
    labelRankingLoss: labelRankingLoss(yTrue, scores),
    confusion: multilabelConfusion(yTrue, yPred),
  };
}

/** A curve as two coordinate lists (x and y), thinned and rounded for storage. */
export interface CurvePoints {
  x: number[];
  y: number[];
}

/** What a run detail draws: ROC and PR curves per label and pooled (micro), and reliability bins. */
export interface ScoreCurves {
  /** ROC per label (x = false positive rate, y = true positive rate); empty for a one-class label. */
  roc: CurvePoints[];
  /** Precision–recall per label (x = recall, y = precision), in sklearn's order (recall falling). */
  pr: CurvePoints[];
  microRoc: CurvePoints;
  microPr: CurvePoints;
  /** Reliability bins over all cells, then per label. */
  reliability: ReliabilityBin[];
  perLabelReliability: ReliabilityBin[][];
}

/** Coordinates are kept to 4 decimals: a chart of 1,000 pixels cannot show more. */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * Keeps the first and last points and every point at least `resolution` away (in x or y) from
 * the last kept one: a curve of thousands of thresholds becomes at most ~2/resolution points
 * that draw the same at chart size.
 */
export function thinCurve(
  x: readonly number[],
  y: readonly number[],
  resolution = 0.005,
): CurvePoints {
  if (x.some(Number.isNaN) || y.some(Number.isNaN)) return { x: [], y: [] };
  const out: CurvePoints = { x: [], y: [] };
  let lastX = NaN;
  let lastY = NaN;
  x.forEach((xi, i) => {
    const yi = y[i]!;
    const last = i === x.length - 1;
    const far =
      out.x.length === 0 ||
      Math.abs(xi - lastX) >= resolution ||
      Math.abs(yi - lastY) >= resolution;
    if (!far && !last) return;
    out.x.push(round4(xi));
    out.y.push(round4(yi));
    lastX = xi;
    lastY = yi;
  });
  return out;
}

function rocPoints(truth: ArrayLike<number>, scores: ArrayLike<number>): CurvePoints {
  const c = binaryRocCurve(truth, scores);
  return thinCurve(c.fpr, c.tpr);
}

function prPoints(truth: ArrayLike<number>, scores: ArrayLike<number>): CurvePoints {
  const c = binaryPrecisionRecallCurve(truth, scores);
  return thinCurve(c.recall, c.precision);
}

/** The curves of probabilities `scores` (row-major, yTrue's shape) for a run detail. */
export function scoreCurves(yTrue: LabelMatrix, scores: ArrayLike<number>): ScoreCurves {
  checkScores(yTrue, scores);
  const cols = Array.from({ length: yTrue.cols }, (_, c) => ({
    truth: column(yTrue.data, yTrue.cols, c),
    scores: column(scores, yTrue.cols, c),
  }));
  return {
    roc: cols.map((c) => rocPoints(c.truth, c.scores)),
    pr: cols.map((c) => prPoints(c.truth, c.scores)),
    microRoc: rocPoints(yTrue.data, scores),
    microPr: prPoints(yTrue.data, scores),
    reliability: reliabilityBins(yTrue.data, scores, RELIABILITY_BINS),
    perLabelReliability: cols.map((c) => reliabilityBins(c.truth, c.scores, RELIABILITY_BINS)),
  };
}
