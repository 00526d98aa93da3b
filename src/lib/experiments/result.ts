/** What an experiment run returns: plain JSON, stored as RunRecord.result and written by the CLI. */
import * as tf from '@tensorflow/tfjs';
import type { LabelMatrix } from '../metrics/label-matrix.ts';
import {
  SCALAR_METRICS,
  thresholdScores,
  type LabelScore,
  type MultiLabelReport,
  type ScalarMetrics,
} from '../metrics/multilabel.ts';
import {
  rankingMetrics,
  scoreCurves,
  type RankingMetrics,
  type ScoreCurves,
} from '../metrics/score-report.ts';
import { LIBSVM_JS_VERSION } from '../models/libsvm.ts';
import type { ModelParams } from '../models/registry.ts';
import type { AnyPosterSpec } from './poster-spec.ts';
import type { ExperimentSpec } from './spec.ts';

export { SCALAR_METRICS, type ScalarMetrics };

/** Cross-validation of one grid point: mean and population std over folds. */
export interface CvEntry {
  params: ModelParams;
  mean: ScalarMetrics;
  std: ScalarMetrics;
  folds: ScalarMetrics[];
}

/**
 * The test split's scores as probabilities. Optional: runs saved before they existed have none,
 * and a model whose scores are not all probabilities in [0, 1] gets `rankingNote` instead.
 */
export interface TestRanking {
  /** ROC AUC, average precision, log loss, Brier, ECE, label ranking, confusion counts. */
  ranking?: RankingMetrics;
  /** ROC and precision–recall curves per label and the reliability bins, for the run detail. */
  curves?: ScoreCurves;
  /** Why ranking and curves are missing for a run that had scores. */
  rankingNote?: string;
}

export interface ExperimentResult {
  /** A metadata spec, or a posters spec (data.posters or the library) from poster-runner.ts. */
  spec: ExperimentSpec | AnyPosterSpec;
  test: ScalarMetrics & {
    perLabel: (LabelScore & { name: string })[];
    thresholds: number[];
  } & TestRanking;
  cv: CvEntry[];
  best: { params: ModelParams; index: number };
  timings: { fitMs: number; totalMs: number };
  /** The tfjs backend active during the run. */
  backend: string;
  versions: Record<string, string>;
  dataset: {
    movies: number;
    /** Movies without any genre of the chosen groups (left out). */
    dropped: number;
    trainRows: number;
    testRows: number;
    /** Training rows after resampling (refit on the whole training split). */
    sampledTrainRows: number;
    labelNames: string[];
    featureNames: string[];
  };
}

/** Just the scalar metrics of a report (a plain object, for storing). */
export function scalars(r: ScalarMetrics): ScalarMetrics {
  return Object.fromEntries(SCALAR_METRICS.map((k) => [k, r[k]])) as unknown as ScalarMetrics;
}

/** The test split's truths and the model's probabilities (row-major, truth's shape). */
export interface TestScores {
  truth: LabelMatrix;
  scores: Float32Array;
}

/** Ranking metrics and curves of test scores, or why there are none. */
export function testRanking({ truth, scores }: TestScores, thresholds: number[]): TestRanking {
  const bad = scores.findIndex((p) => !(p >= 0 && p <= 1));
  if (bad >= 0)
    return { rankingNote: `score ${bad} is ${scores[bad]}, not a probability in [0, 1]` };
  const predicted = thresholdScores(scores, truth.rows, truth.cols, thresholds);
  return {
    ranking: rankingMetrics(truth, scores, predicted),
    curves: scoreCurves(truth, scores),
  };
}

/**
 * The test section of a result: scalar metrics, per-label scores by name, thresholds and, given
 * the test probabilities, the ranking and calibration metrics with their curves.
 */
export function testSection(
  report: MultiLabelReport,
  labelNames: readonly string[],
  thresholds: number[],
  test?: TestScores,
): ExperimentResult['test'] {
  return {
    ...scalars(report),
    perLabel: report.perLabel.map((s, c) => ({ name: labelNames[c]!, ...s })),
    thresholds,
    ...(test ? testRanking(test, thresholds) : {}),
  };
}

/** One line of the ranking metrics for a terminal ('' for a run without them). */
export function rankingSummary(test: TestRanking): string {
  const m = test.ranking;
  if (!m) return test.rankingNote ? `no ranking metrics: ${test.rankingNote}` : '';
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
  return (
    `ROC AUC micro ${f(m.rocAuc.micro)} macro ${f(m.rocAuc.macro)}, ` +
    `average precision micro ${f(m.averagePrecision.micro)} macro ${f(m.averagePrecision.macro)}, ` +
    `log loss ${f(m.logLoss)}, Brier ${f(m.brier)}, ECE ${f(m.ece)}, LRAP ${f(m.lrap)}`
  );
}

/** Where a run ran: the active tfjs backend and the versions that shape its numbers. */
export function runEnvironment(): Pick<ExperimentResult, 'backend' | 'versions'> {
  return {
    backend: tf.getBackend(),
    versions: { tfjs: tf.version.tfjs, 'libsvm-js': LIBSVM_JS_VERSION },
  };
}
