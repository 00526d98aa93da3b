/** What an experiment run returns: plain JSON, stored as RunRecord.result and written by the CLI. */
import type { LabelScore } from '../metrics/multilabel.ts';
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
