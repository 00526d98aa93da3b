/**
 * Learning and checking late fusion honestly, from a metadata run and a poster model that never
 * trained on the library. Validation rows = the run's TRAINING movies that have a poster: their
 * metadata probabilities are out-of-fold (each scored by a model that never saw it), their poster
 * probabilities come from a model trained elsewhere. Per-label fusion weights and the combined
 * thresholds are learned there only; poster-only, metadata-only and combined metrics are then
 * computed once on the run's TEST movies that have a poster. Pure.
 */
import type { ScalarMetrics } from '../experiments/result.ts';
import { evaluate, thresholdScores, type LabelMatrix } from '../metrics/index.ts';
import { fuse, learnFusionWeights, type FusionWeights } from './fusion.ts';

/** Movie keys with row-major probabilities (rows × labels), as a metadata run keeps them. */
export interface KeyedScores {
  keys: readonly string[];
  scores: ArrayLike<number>;
}

/** Probabilities of the predictions that worked, by file name (library posters are named by movie key). */
export function probabilitiesByFile(
  preds: readonly ({ file: string; ok: true; probabilities: number[] } | { ok: false })[],
): ReadonlyMap<string, number[]> {
  return new Map(preds.flatMap((p) => (p.ok ? [[p.file, p.probabilities] as const] : [])));
}

/** The rows of `wanted` keys, in that order (throws RangeError when a key is absent). */
export function alignRows(
  from: KeyedScores,
  cols: number,
  wanted: readonly string[],
): Float32Array {
  const index = new Map(from.keys.map((k, i) => [k, i]));
  const out = new Float32Array(wanted.length * cols);
  wanted.forEach((k, r) => {
    const i = index.get(k);
    if (i === undefined) throw new RangeError(`alignRows: no row for ${k}`);
    for (let c = 0; c < cols; c++) out[r * cols + c] = from.scores[i * cols + c]!;
  });
  return out;
}

/** Per-label thresholds maximising F1 on validation rows (grid 0.05 … 0.95; ties → nearest 0.5). */
export function tuneThresholds(
  scores: ArrayLike<number>,
  truth: ArrayLike<number>,
  cols: number,
): number[] {
  const rows = truth.length / cols;
  return Array.from({ length: cols }, (_, c) => {
    let best = { t: 0.5, f1: -1 };
    for (let s = 1; s <= 19; s++) {
      const t = s / 20;
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (let r = 0; r < rows; r++) {
        const on = scores[r * cols + c]! >= t;
        const y = truth[r * cols + c]! > 0;
        if (on && y) tp++;
        else if (on) fp++;
        else if (y) fn++;
      }
      const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
      const tie = Math.abs(f1 - best.f1) < 1e-12 && Math.abs(t - 0.5) < Math.abs(best.t - 0.5);
      if (f1 > best.f1 + 1e-12 || tie) best = { t, f1 };
    }
    return best.t;
  });
}

export interface FusionInput {
  cols: number;
  /** The metadata run's out-of-fold probabilities (training movies) and test probabilities. */
  oof: KeyedScores;
  test: KeyedScores;
  /** Poster-model probabilities by movie key (movies with a poster). */
  poster: ReadonlyMap<string, ArrayLike<number>>;
  /** 0/1 truth by movie key for the run's groups. */
  truth: ReadonlyMap<string, ArrayLike<number>>;
  thresholds: { poster: readonly number[]; metadata: readonly number[] };
  /** Injectable for tests (defaults to learnFusionWeights). */
  learn?: typeof learnFusionWeights;
}

/** What a fusion check reports; saved with the ids of the two models it combines. */
export interface FusionEvaluation {
  weights: FusionWeights;
  /** Thresholds of the combined probabilities (tuned on the validation rows). */
  thresholds: number[];
  rows: { validation: number; test: number };
  metrics: { poster: ScalarMetrics; metadata: ScalarMetrics; combined: ScalarMetrics };
}

function scalar(
  truth: LabelMatrix,
  scores: Float32Array,
  thresholds: readonly number[],
): ScalarMetrics {
  const r = evaluate(truth, thresholdScores(scores, truth.rows, truth.cols, [...thresholds]));
  const { hammingLoss, exactMatch, atLeastOne, microF1, macroF1, samplesF1 } = r;
  return { hammingLoss, exactMatch, atLeastOne, microF1, macroF1, samplesF1 };
}

function gather(keys: readonly string[], by: ReadonlyMap<string, ArrayLike<number>>, cols: number) {
  const out = new Float32Array(keys.length * cols);
  keys.forEach((k, r) => out.set(Array.from(by.get(k)!).slice(0, cols), r * cols));
  return out;
}

/** Learns weights on validation rows, then evaluates the three predictors once on the test rows. */
export function evaluateFusion(input: FusionInput): FusionEvaluation {
  const { cols, poster, truth } = input;
  const usable = (k: string) => poster.has(k) && truth.has(k);
  const valKeys = input.oof.keys.filter(usable);
  const testKeys = input.test.keys.filter(usable);
  if (valKeys.length < 10)
    throw new RangeError(
      `only ${valKeys.length} training movies have a poster (need 10 to learn weights)`,
    );
  if (testKeys.length === 0) throw new RangeError('no test movie of the run has a poster');
  const valMeta = alignRows(input.oof, cols, valKeys);
  const valPoster = gather(valKeys, poster, cols);
  const valTruth = gather(valKeys, truth, cols);
  const weights = (input.learn ?? learnFusionWeights)(valPoster, valMeta, valTruth, cols);
  const thresholds = tuneThresholds(fuse(valPoster, valMeta, weights.poster), valTruth, cols);

  const testMeta = alignRows(input.test, cols, testKeys);
  const testPoster = gather(testKeys, poster, cols);
  const y: LabelMatrix = {
    rows: testKeys.length,
    cols,
    data: Uint8Array.from(gather(testKeys, truth, cols), (v) => (v > 0 ? 1 : 0)),
  };
  return {
    weights,
    thresholds,
    rows: { validation: valKeys.length, test: testKeys.length },
    metrics: {
      poster: scalar(y, testPoster, input.thresholds.poster),
      metadata: scalar(y, testMeta, input.thresholds.metadata),
      combined: scalar(y, fuse(testPoster, testMeta, weights.poster), thresholds),
    },
  };
}
