/**
 * How the shipped poster model is chosen, with the held-out rows kept out of every choice: for
 * each feature set, k-fold out-of-fold probabilities of the TRAINING rows; on those, every
 * decision-rule candidate (calibration × rule) is cross-validated; the feature set and rule with
 * the best cross-validated criterion win. Only then is the head refitted on all training rows and
 * the held-out rows scored, once. Fitting is injected (tfjs heads in scripts/train-default.ts).
 */
import { kFold } from '../features/splits.ts';
import { takeRows, type LabelMatrix } from '../metrics/index.ts';
import {
  chooseCandidate,
  crossValidateCandidates,
  decide,
  fitDecision,
  scoreDecisions,
  type CandidateResult,
  type Decision,
  type RuleScore,
} from './decision-rule.ts';

/** A fitted model that scores rows of the data by index. */
export interface Scorer {
  score(rows: readonly number[]): Promise<Float32Array>;
  dispose(): void;
}

export interface SelectionInput {
  labels: LabelMatrix;
  /** One key per row (movie), so a movie never sits in two folds. */
  keys: readonly string[];
  train: readonly number[];
  test: readonly number[];
  featureSets: readonly string[];
  /** Fits a head on `rows` of a feature set. */
  fit(featureSet: string, rows: readonly number[]): Promise<Scorer>;
  folds: number;
  seed: number;
  onLog?: (line: string) => void;
  /** Injected for tests (a spy); defaults to the real cross-validation. */
  crossValidate?: typeof crossValidateCandidates;
}

export interface FeatureSetResult {
  featureSet: string;
  /** Every rule candidate's cross-validated figures. */
  candidates: CandidateResult[];
  chosen: CandidateResult;
}

export interface Selection {
  featureSets: FeatureSetResult[];
  chosen: FeatureSetResult;
  decision: Decision;
  /** The head refitted on all training rows (the caller ships and disposes it). */
  model: Scorer;
  /** Its uncalibrated probabilities of the held-out rows, and the scored decisions. */
  testProbabilities: Float32Array;
  test: RuleScore;
}

/** Out-of-fold probabilities of the training rows (row i of the result = train[i]). */
export async function outOfFold(
  input: SelectionInput,
  featureSet: string,
  yTrain: LabelMatrix,
): Promise<Float32Array> {
  const cols = yTrain.cols;
  const splits = kFold(yTrain, {
    k: input.folds,
    seed: input.seed,
    keys: input.train.map((r) => input.keys[r]!),
  });
  const oof = new Float32Array(yTrain.rows * cols);
  for (const [i, s] of splits.entries()) {
    const model = await input.fit(
      featureSet,
      s.train.map((j) => input.train[j]!),
    );
    const p = await model.score(s.test.map((j) => input.train[j]!));
    model.dispose();
    s.test.forEach((j, k) => oof.set(p.subarray(k * cols, (k + 1) * cols), j * cols));
    input.onLog?.(`${featureSet}: fold ${i + 1}/${input.folds} scored`);
  }
  return oof;
}

/** Runs the whole selection; the held-out rows are touched only after every choice is made. */
export async function selectModel(input: SelectionInput): Promise<Selection> {
  const yTrain = takeRows(input.labels, input.train);
  const cv = input.crossValidate ?? crossValidateCandidates;
  const trainKeys = input.train.map((r) => input.keys[r]!);
  const results: (FeatureSetResult & { oof: Float32Array })[] = [];
  for (const fs of input.featureSets) {
    const oof = await outOfFold(input, fs, yTrain);
    const candidates = cv(oof, yTrain, {
      folds: input.folds,
      seed: input.seed + 1,
      keys: trainKeys,
    });
    const chosen = chooseCandidate(candidates);
    input.onLog?.(`${fs}: best rule ${chosen.name}, CV criterion ${chosen.criterion.toFixed(4)}`);
    results.push({ featureSet: fs, candidates, chosen, oof });
  }
  const best = results.reduce((a, b) => (b.chosen.criterion > a.chosen.criterion + 1e-12 ? b : a));
  const decision = fitDecision(best.chosen.candidate, best.oof, yTrain);
  const model = await input.fit(best.featureSet, input.train);
  const testProbabilities = await model.score(input.test);
  const test = scoreDecisions(
    takeRows(input.labels, input.test),
    decide(decision, testProbabilities),
  );
  return {
    featureSets: results.map(({ featureSet, candidates, chosen }) => ({
      featureSet,
      candidates,
      chosen,
    })),
    chosen: best,
    decision,
    model,
    testProbabilities,
    test,
  };
}
