/** What an experiment run returns: plain JSON, stored as RunRecord.result and written by the CLI. */
import * as tf from '@tensorflow/tfjs';
import type { LabelScore, MultiLabelReport } from '../metrics/multilabel.ts';
import { LIBSVM_JS_VERSION } from '../models/libsvm.ts';
import type { ModelParams } from '../models/registry.ts';
import type { AnyPosterSpec } from './poster-spec.ts';
import type { ExperimentSpec } from './spec.ts';

/** The scalar metrics (every rate a fraction in [0, 1]). */
export interface ScalarMetrics {
  hammingLoss: number;
  exactMatch: number;
  atLeastOne: number;
  microF1: number;
  macroF1: number;
  samplesF1: number;
}

export const SCALAR_METRICS: readonly (keyof ScalarMetrics)[] = [
  'hammingLoss',
  'exactMatch',
  'atLeastOne',
  'microF1',
  'macroF1',
  'samplesF1',
];

/** Cross-validation of one grid point: mean and population std over folds. */
export interface CvEntry {
  params: ModelParams;
  mean: ScalarMetrics;
  std: ScalarMetrics;
  folds: ScalarMetrics[];
}

export interface ExperimentResult {
  /** A metadata spec, or a posters spec (data.posters or the library) from poster-runner.ts. */
  spec: ExperimentSpec | AnyPosterSpec;
  test: ScalarMetrics & { perLabel: (LabelScore & { name: string })[]; thresholds: number[] };
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

/** The test section of a result: scalar metrics, per-label scores by name, thresholds. */
export function testSection(
  report: MultiLabelReport,
  labelNames: readonly string[],
  thresholds: number[],
): ExperimentResult['test'] {
  return {
    ...scalars(report),
    perLabel: report.perLabel.map((s, c) => ({ name: labelNames[c]!, ...s })),
    thresholds,
  };
}

/** Where a run ran: the active tfjs backend and the versions that shape its numbers. */
export function runEnvironment(): Pick<ExperimentResult, 'backend' | 'versions'> {
  return {
    backend: tf.getBackend(),
    versions: { tfjs: tf.version.tfjs, 'libsvm-js': LIBSVM_JS_VERSION },
  };
}
