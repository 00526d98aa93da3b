/**
 * `npm run train:default` (= this script with `--keep-head`) rebuilds the poster model the static
 * site ships; without `--keep-head` it also retrains the head and compares feature sets. Data: the Kaggle
 * posters plus the tmdb-cs109b posters, de-duplicated by movie, one held-out split made before
 * anything is fitted (scripts/default-data.ts). Features: ImageNet backbones from ../shared/models
 * (MobileNetV2-0.35, optionally its left–right flip averaged in, optionally MobileNet v1 1.0 to
 * conv_dw_13, average-pooled, concatenated). The feature set, the calibration and the decision
 * rule are chosen by 5-fold cross-validation on the training rows only
 * (src/lib/predict/model-selection.ts); the held-out split is scored once at the end, next to the
 * previous shipped model on the same held-out posters. Writes the head (float16 tfjs layers
 * files) and card.json to public/models/marquee-poster-v1/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PAPER7 } from '../src/lib/features/groups.ts';
import { TRAIN_DEFAULT_USAGE, helpIfAsked } from './cli-usage.ts';
import {
  evaluate,
  rankingMetrics,
  reliabilityBins,
  takeRows,
  type LabelMatrix,
} from '../src/lib/metrics/index.ts';
import { TransferHead } from '../src/lib/models/poster/transfer.ts';
import { BACKBONES } from '../src/lib/models/poster/backbones.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import { calibrateRows } from '../src/lib/predict/calibration.ts';
import {
  CARD_FORMAT,
  CARD_VERSION,
  type CardMetrics,
  type ModelCard,
} from '../src/lib/predict/card.ts';
import {
  SELECTION_CRITERION,
  candidateName,
  chooseCandidate,
  crossValidateCandidates,
  decide,
  type Decision,
} from '../src/lib/predict/decision-rule.ts';
import { headFiles, loadHead, type HeadFiles } from '../src/lib/predict/head-io.ts';
import { outOfFold, selectModel, type Scorer } from '../src/lib/predict/model-selection.ts';
import { POSTER_PIPELINE, headProbabilities } from '../src/lib/predict/poster-model.ts';
import {
  CS109B_SPLIT,
  loadDefaultData,
  MODELS_DIR,
  SPLIT,
  type DefaultData,
} from './default-data.ts';
import {
  computePosterFeatures,
  FEATURE_DIMS,
  posterFiles,
  readPartialFeatures,
  trainingOrder,
  type FeatureBackbone,
  type View,
} from './poster-features.ts';
import { errorMessage } from '../src/lib/core/errors.ts';

const OUT =
  process.env.MARQUEE_OUT ?? join(import.meta.dirname, '../public/models/marquee-poster-v1');
/** The commit whose shipped head is the previous model (scored on the new held-out split). */
export const PREVIOUS_COMMIT = 'cde4e98';
/** Held-out posters the repository test re-scores (few: their features take minutes here). */
const CHECK_ROWS = 48;
/** Folds of the cross-validation (MARQUEE_FOLDS overrides, for a quicker run). */
const FOLDS = Number(process.env.MARQUEE_FOLDS ?? 5);
const HEAD = { units: 256, epochs: 60, patience: 6, seed: 42 } as const;
/**
 * Feature sets are compared on this many training posters (a seeded random subset,
 * `trainingOrder`): MobileNet v1 features of all 8,600 posters take hours on this CPU.
 * MARQUEE_COMPARE_ROWS overrides.
 */
const COMPARE_ROWS = Number(process.env.MARQUEE_COMPARE_ROWS ?? 1288);

/**
 * Feature sets compared by cross-validation: which backbones, and whether MobileNetV2's flip is
 * averaged in. `ships`: the site's predictor computes this set (src/lib/predict/predictor.ts
 * averages MobileNetV2's flip in; it has no second backbone yet), so only those may win.
 */
export const FEATURE_SETS: Readonly<
  Record<string, { mnv2: View[]; mnv1: View[]; ships: boolean }>
> = {
  'mobilenetv2-0.35': { mnv2: ['plain'], mnv1: [], ships: true },
  'mobilenetv2-0.35 + flip': { mnv2: ['plain', 'flip'], mnv1: [], ships: true },
  'mobilenetv2-0.35 + mobilenetv1-1.0': { mnv2: ['plain'], mnv1: ['plain'], ships: false },
  'mobilenetv2-0.35 + flip + mobilenetv1-1.0': {
    mnv2: ['plain', 'flip'],
    mnv1: ['plain'],
    ships: false,
  },
};

/** Each feature set's cross-validated best rule on the comparison rows. */
export interface FeatureComparison {
  featureSet: string;
  ships: boolean;
  rule: string;
  criterion: number;
  samplesF1: number;
  microF1: number;
  predictedPerPoster: number;
  truePerPoster: number;
}

/** The comparison's winner: the best criterion among the sets the site can compute. */
export function pickFeatureSet(results: readonly FeatureComparison[]): FeatureComparison {
  const shippable = results.filter((r) => r.ships);
  if (shippable.length === 0) throw new Error('no feature set the site can compute was compared');
  return shippable.reduce((a, b) => (b.criterion > a.criterion + 1e-12 ? b : a));
}

/**
 * One view's feature matrix for every row of the data, from the cache; missing posters are
 * computed first, unless MARQUEE_PARTIAL=1 (then rows without features are flagged, and only
 * training rows may lack them).
 */
async function viewFeatures(
  d: DefaultData,
  backbone: FeatureBackbone,
  view: View,
  needed: readonly number[],
) {
  const dims = FEATURE_DIMS[backbone];
  const read = () => {
    const out = new Float32Array(d.rows.length * dims);
    const have = new Uint8Array(d.rows.length);
    for (const dir of new Set(d.rows.map((r) => r.dir))) {
      const f = readPartialFeatures(backbone, view, dir);
      const index = new Map(posterFiles(dir).map((name, i) => [name, i]));
      d.rows.forEach((r, i) => {
        if (r.dir !== dir) return;
        const k = index.get(r.file)!;
        out.set(f.data.subarray(k * dims, (k + 1) * dims), i * dims);
        have[i] = f.have[k]!;
      });
    }
    return { data: out, have };
  };
  let f = read();
  const missing = needed.filter((i) => !f.have[i]).map((i) => d.rows[i]!);
  if (missing.length && process.env.MARQUEE_PARTIAL !== '1') {
    console.log(`computing ${backbone} ${view} features of ${missing.length} posters (minutes)`);
    await computePosterFeatures(MODELS_DIR, missing, backbone, view, (a, n) => {
      if (a % 800 === 0 || a === n) console.log(`  ${a}/${n}`);
    });
    f = read();
  }
  return f;
}

/** One feature set's matrix: per backbone, the mean of its views; backbones concatenated. */
export function combineViews(parts: { dims: number; views: Float32Array[] }[], rows: number) {
  const cols = parts.reduce((s, p) => s + p.dims, 0);
  const data = new Float32Array(rows * cols);
  let off = 0;
  for (const p of parts) {
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < p.dims; c++) {
        let s = 0;
        for (const v of p.views) s += v[r * p.dims + c]!;
        data[r * cols + off + c] = s / p.views.length;
      }
    off += p.dims;
  }
  return { rows, cols, data };
}

const rowsOf = (x: { cols: number; data: Float32Array }, idx: readonly number[]) => {
  const out = new Float32Array(idx.length * x.cols);
  idx.forEach((r, i) => out.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { rows: idx.length, cols: x.cols, data: out };
};

/** Scalar metrics for the card, with predicted and true groups per poster. */
export function cardMetrics(y: LabelMatrix, predicted: Uint8Array): CardMetrics {
  const r = evaluate(y, { rows: y.rows, cols: y.cols, data: predicted });
  const { hammingLoss, exactMatch, atLeastOne, microF1, macroF1, samplesF1 } = r;
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return {
    hammingLoss,
    exactMatch,
    atLeastOne,
    microF1,
    macroF1,
    samplesF1,
    rows: y.rows,
    predictedPerPoster: sum(predicted) / y.rows,
    truePerPoster: sum(y.data) / y.rows,
  };
}

/** Labels at or above per-label thresholds (the previous model's rule). */
export function thresholdDecisions(p: Float32Array, thresholds: readonly number[]): Uint8Array {
  return Uint8Array.from(p, (v, i) => (v >= thresholds[i % thresholds.length]! ? 1 : 0));
}

/**
 * The model shipped before the head was retrained (commit 5d01d61: PREVIOUS_COMMIT's head with a
 * calibration and one cut chosen by cross-validation); the retrained model's baseline.
 */
export const SHIPPED_BEFORE_COMMIT = '5d01d61';

/** The previous shipped model's files, read from git history. */
function previousFiles(commit = PREVIOUS_COMMIT) {
  const show = (f: string) =>
    execFileSync('git', ['show', `${commit}:public/models/marquee-poster-v1/${f}`], {
      cwd: join(import.meta.dirname, '..'),
      maxBuffer: 1 << 26,
    });
  return {
    card: JSON.parse(show('card.json').toString()) as ModelCard,
    modelJson: JSON.parse(show('model.json').toString()) as HeadFiles['modelJson'],
    weights: new Uint8Array(show('weights.bin')),
  };
}

/** The previous shipped model (head + card from git) on the held-out rows' MobileNetV2 features. */
async function previousModel(x: Float32Array, y: LabelMatrix, commit = PREVIOUS_COMMIT) {
  try {
    const prev = previousFiles(commit);
    const card = prev.card;
    const head = await loadHead(prev.modelJson, new Map([['weights.bin', prev.weights]]));
    const p = await headProbabilities(head, x, y.rows);
    head.dispose();
    return {
      model: card.decision
        ? `previous shipped model (commit ${commit}: the ${PREVIOUS_COMMIT} head, ${card.head.architecture} on MobileNetV2-0.35 trained on Kaggle posters only, with ${card.decision.name} chosen by cross-validation)`
        : `previous shipped model (commit ${commit}: ${card.head.architecture} on MobileNetV2-0.35, Kaggle only, per-label thresholds tuned on one validation slice)`,
      ...cardMetrics(
        y,
        card.decision ? decide(card.decision, p) : thresholdDecisions(p, card.thresholds),
      ),
    };
  } catch (e) {
    console.warn(`previous model not scored: ${errorMessage(e)}`);
    return undefined;
  }
}

async function main() {
  const compute = await initCompute({ prefer: 'wasm' });
  console.log(`backend ${compute.name}`);
  const d = await loadDefaultData();
  console.log(`posters ${d.rows.length}: train ${d.train.length}, test ${d.test.length}`, d.dedup);
  // --keep-head: keep the previous shipped head and choose only its calibration and rule, on the
  // training rows it never trained on (its validation slice and the cs109b training movies).
  const keepHead = process.argv.includes('--keep-head');
  if (keepHead) {
    const unseen = new Set(d.previousUnseen);
    d.train = d.train.filter((r) => unseen.has(r));
  }
  const want = new Set(
    keepHead
      ? ['mobilenetv2-0.35']
      : (process.env.MARQUEE_FEATURE_SETS?.split(';') ?? Object.keys(FEATURE_SETS)),
  );
  const sets = Object.entries(FEATURE_SETS).filter(([n]) => want.has(n));
  const views = new Map<string, { data: Float32Array; have: Uint8Array }>();
  for (const [, s] of sets)
    for (const [b, vs] of [
      ['mobilenetv2-0.35', s.mnv2],
      ['mobilenetv1-1.0', s.mnv1],
    ] as const)
      for (const v of vs)
        if (!views.has(`${b}|${v}`))
          views.set(
            `${b}|${v}`,
            await viewFeatures(
              d,
              b,
              v,
              // views only sets the site cannot compute use are needed on the comparison rows only
              sets.some(
                ([, x]) => x.ships && (b === 'mobilenetv1-1.0' ? x.mnv1 : x.mnv2).includes(v),
              )
                ? d.rows.map((_, i) => i)
                : trainingOrder(d).slice(0, COMPARE_ROWS),
            ),
          );
  const matrices = new Map(
    sets.map(([name, s]) => [
      name,
      combineViews(
        (
          [
            ['mobilenetv2-0.35', s.mnv2],
            ['mobilenetv1-1.0', s.mnv1],
          ] as const
        )
          .filter(([, vs]) => vs.length > 0)
          .map(([b, vs]) => ({
            dims: FEATURE_DIMS[b],
            views: vs.map((v) => views.get(`${b}|${v}`)!.data),
          })),
        d.rows.length,
      ),
    ]),
  );

  // Rows every needed view has; the held-out rows must all be there.
  const featured = (r: number) => [...views.values()].every((v) => v.have[r] === 1);
  // held-out rows need the features of the sets that may ship (the others are only compared)
  const shipViews = [...views.entries()].filter(
    ([k]) =>
      !k.startsWith('mobilenetv1') ||
      sets.some(([, s]) => s.ships && s.mnv1.includes(k.split('|')[1] as View)),
  );
  const heldFeatured = (r: number) => shipViews.every(([, v]) => v.have[r] === 1);
  const lacking = d.test.filter((r) => !heldFeatured(r));
  const allTest = d.test.length;
  if (lacking.length && process.env.MARQUEE_PARTIAL !== '1')
    throw new Error(`${lacking.length} held-out posters have no features yet`);
  d.test = d.test.filter(heldFeatured);
  const allTrain = d.train.length;
  const allTrainRows = [...d.train];
  d.train = d.train.filter(featured);
  if (d.train.length < allTrain)
    console.log(`training on the ${d.train.length} of ${allTrain} training posters with features`);

  // Feature sets compared on the first COMPARE_ROWS training rows of a seeded random order (those
  // with every set's features, with MARQUEE_PARTIAL=1); the winner is then cross-validated again, with its rule, on
  // every training row that has its features, and refitted on all of them.
  let comparison: { rows: number; results: FeatureComparison[] } | null = null;
  let finalTrain = d.train;
  if (!keepHead && sets.length > 1) {
    const inAll = new Set(d.train);
    const cmpRows = trainingOrder({ train: allTrainRows })
      .slice(0, COMPARE_ROWS)
      .filter((r) => inAll.has(r));
    console.log(`comparing ${sets.length} feature sets on ${cmpRows.length} training posters`);
    // MARQUEE_COMPARISON=<file>: the comparison's results are kept there (and reused when the
    // same sets were compared on the same rows), so a later run can refit on more posters
    const cacheFile = process.env.MARQUEE_COMPARISON;
    const cacheKey = JSON.stringify({ sets: sets.map(([n]) => n), rows: cmpRows, FOLDS, HEAD });
    const cached =
      cacheFile && existsSync(cacheFile)
        ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as {
            key: string;
            results: FeatureComparison[];
          })
        : null;
    const results: FeatureComparison[] = cached?.key === cacheKey ? cached.results : [];
    if (results.length) console.log(`comparison read from ${cacheFile}`);
    const yCmp = takeRows(d.labels, cmpRows);
    for (const [name, spec] of results.length ? [] : sets) {
      const oof = await outOfFold(
        {
          labels: d.labels,
          keys: d.rows.map((r) => r.key),
          train: cmpRows,
          test: [],
          featureSets: [name],
          fit: async (fs, rows) => {
            const x = matrices.get(fs)!;
            const h = new TransferHead(HEAD);
            await h.fit(rowsOf(x, rows), takeRows(d.labels, rows));
            return { score: (r) => h.predictScores(rowsOf(x, r)), dispose: () => h.dispose() };
          },
          folds: FOLDS,
          seed: 11,
          onLog: (l) => console.log(l),
        },
        name,
        yCmp,
      );
      const best = chooseCandidate(
        crossValidateCandidates(oof, yCmp, {
          folds: FOLDS,
          seed: 12,
          keys: cmpRows.map((r) => d.rows[r]!.key),
        }),
      );
      results.push({
        featureSet: name,
        ships: spec.ships,
        rule: best.name,
        criterion: best.criterion,
        samplesF1: best.samplesF1,
        microF1: best.microF1,
        predictedPerPoster: best.predictedPerRow,
        truePerPoster: best.truePerRow,
      });
      console.log(
        `compare ${name}: ${best.name}, criterion ${best.criterion.toFixed(4)} (samples ${best.samplesF1.toFixed(4)}, micro ${best.microF1.toFixed(4)}, ${best.predictedPerRow.toFixed(2)} vs ${best.truePerRow.toFixed(2)}/poster)`,
      );
    }
    if (cacheFile && cached?.key !== cacheKey)
      writeFileSync(cacheFile, JSON.stringify({ key: cacheKey, results }));
    comparison = { rows: cmpRows.length, results };
    if (process.env.MARQUEE_COMPARE_ONLY === '1') return;
    const win = pickFeatureSet(results).featureSet;
    sets.splice(0, sets.length, ...sets.filter(([n]) => n === win));
    const winViews = [...views.entries()].filter(([k]) => {
      const [b, v] = k.split('|') as [FeatureBackbone, View];
      const spec = FEATURE_SETS[win]!;
      return (b === 'mobilenetv2-0.35' ? spec.mnv2 : spec.mnv1).includes(v);
    });
    finalTrain = allTrainRows.filter((r) => winViews.every(([, v]) => v.have[r] === 1));
    console.log(`winner ${win}: refitted on ${finalTrain.length} training posters`);
  }
  d.train = finalTrain;

  const heads = new Map<Scorer, TransferHead>();
  const prev = keepHead ? previousFiles() : null;
  const prevHead = prev
    ? await loadHead(prev.modelJson, new Map([['weights.bin', prev.weights]]))
    : null;
  const fit = async (fs: string, rows: readonly number[]): Promise<Scorer> => {
    if (prevHead) {
      // the kept head never trained on these rows, so its scores are out of sample as they are
      const x = matrices.get(fs)!;
      return {
        score: (r) => {
          const m = rowsOf(x, r);
          return headProbabilities(prevHead, m.data, m.rows);
        },
        dispose: () => {},
      };
    }
    const x = matrices.get(fs)!;
    const h = new TransferHead(HEAD);
    const t0 = performance.now();
    await h.fit(rowsOf(x, rows), takeRows(d.labels, rows));
    console.log(
      `  fit ${fs} on ${rows.length} rows: ${h.history.length} epochs, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    const scorer: Scorer = {
      score: (r) => h.predictScores(rowsOf(x, r)),
      dispose: () => h.dispose(),
    };
    heads.set(scorer, h);
    return scorer;
  };
  const sel = await selectModel({
    labels: d.labels,
    keys: d.rows.map((r) => r.key),
    train: d.train,
    test: d.test,
    featureSets: sets.map(([n]) => n),
    fit,
    folds: FOLDS,
    seed: 11,
    onLog: (l) => console.log(l),
  });
  const head = heads.get(sel.model);
  const fsName = sel.chosen.featureSet;
  const xTe = rowsOf(matrices.get(fsName)!, d.test);
  const yTe = takeRows(d.labels, d.test);

  // Score it as it ships: float16 weights after the file round trip.
  const files: HeadFiles = prev
    ? { modelJson: prev.modelJson, weights: prev.weights }
    : await headFiles(head!.model!, 'float16');
  const shipped = await loadHead(files.modelJson, new Map([['weights.bin', files.weights]]));
  const pTe = await headProbabilities(shipped, xTe.data, xTe.rows);
  const decision: Decision = sel.decision;
  const test = cardMetrics(yTe, decide(decision, pTe));
  const calibrated = calibrateRows(decision.calibrators, pTe);
  const mnv2Te = rowsOf({ cols: 1280, data: views.get('mobilenetv2-0.35|plain')!.data }, d.test);
  const previous = await previousModel(
    mnv2Te.data,
    yTe,
    keepHead ? PREVIOUS_COMMIT : SHIPPED_BEFORE_COMMIT,
  );
  const checkIdx = Array.from({ length: Math.min(CHECK_ROWS, d.test.length) }, (_, i) => i);
  const spec = FEATURE_SETS[fsName]!;
  const card: ModelCard = {
    format: CARD_FORMAT,
    version: CARD_VERSION,
    name: 'marquee-poster-v1',
    kind: 'poster',
    createdAt: new Date().toISOString().slice(0, 10),
    labels: PAPER7.map((g) => g.name),
    groups: PAPER7.map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
    thresholds: displayThresholds(decision),
    backbone: {
      name: 'mobilenetv2-0.35',
      featureDims: 1280,
      officialUrl: BACKBONES['mobilenetv2-0.35'].officialUrl,
    },
    ...(spec.mnv1.length
      ? {
          extraBackbones: [
            {
              name: 'mobilenetv1-1.0',
              featureDims: 1024,
              officialUrl: BACKBONES['mobilenetv1-1.0'].officialUrl,
            },
          ],
        }
      : {}),
    ...(spec.mnv2.includes('flip') ? { flipAveraging: true } : {}),
    preprocessing: {
      ...POSTER_PIPELINE,
      resize: 'bilinear, half-pixel centres, to 224×224 (aspect not kept)',
      decoder: 'JPEG: jpeg-js; others: browser createImageBitmap',
    },
    head: prev
      ? {
          ...prev.card.head,
          selectedBy: `kept from the previous shipped model (commit ${PREVIOUS_COMMIT}, trained on ${prev.card.data.train} Kaggle posters; ${prev.card.head.selectedBy})`,
        }
      : {
          architecture: `${xTe.cols}→${HEAD.units}→${HEAD.units}→7 (ReLU, dropout 0.5, sigmoid)`,
          selectedBy: comparison
            ? `${FOLDS}-fold cross-validation on ${comparison.rows} training posters (a seeded random subset: those whose features of every set were extracted), best rule's criterion per feature set: ${comparison.results.map((r) => `${r.featureSet} ${r.criterion.toFixed(4)}${r.ships ? '' : ' (not computed by the site yet)'}`).join(', ')}; the winner refitted on all ${d.train.length} training posters`
            : `${FOLDS}-fold cross-validation on the training split: feature sets ${sel.featureSets.map((f) => `${f.featureSet} ${f.chosen.criterion.toFixed(4)}`).join(', ')} (best rule's criterion each)`,
          quantization: 'float16',
        },
    decision: {
      calibration: sel.chosen.chosen.candidate.calibration,
      calibrators: decision.calibrators,
      rule: decision.rule,
      name: candidateName(sel.chosen.chosen.candidate),
      selectedBy: `${SELECTION_CRITERION}; ${FOLDS}-fold cross-validation on ${prev ? `the kept head's probabilities of the ${d.train.length} training posters it never trained on` : `out-of-fold probabilities of the ${d.train.length} training posters`} (calibrators and the rule's numbers fitted on the other folds each time)`,
      cv: sel.chosen.candidates.map((c) => ({
        name: c.name,
        samplesF1: c.samplesF1,
        microF1: c.microF1,
        criterion: c.criterion,
        predictedPerPoster: c.predictedPerRow,
        truePerPoster: c.truePerRow,
      })),
    },
    data: {
      source: `${prev ? `head: the previous model's (Kaggle training posters only); calibration and rule fitted on ${d.train.length} posters it never trained on (its Kaggle validation slice + cs109b training movies). ` : ''}posters-kaggle (6,826 posters, IMDb genres mapped to TMDb) + tmdb-cs109b (${d.dedup.cs109b} more posters with TMDb genres after dropping ${d.dedup.dropped} movies already in the Kaggle set: ${d.dedup.byImdbId} by IMDb id, ${d.dedup.byTitleYear} by normalised title + year), labelled with the 7 groups`,
      rows: d.rows.length,
      train: d.train.length,
      validation: 0,
      test: d.test.length,
      split: `held-out = the previous model's Kaggle test split (iterative stratification, test ${SPLIT.testFraction}, seed ${SPLIT.seed}; it never trained on it) + a stratified ${CS109B_SPLIT.testFraction} of the cs109b-only movies (seed ${CS109B_SPLIT.seed}); made before anything was fitted; no validation slice (choices by ${FOLDS}-fold cross-validation on the training rows)${d.train.length < allTrain ? `; trained on ${d.train.length} of the ${allTrain} training posters (those whose features were extracted in time: ${trainedBy(d)})` : ''}${d.test.length < allTest ? `; held-out metrics on ${d.test.length} of the ${allTest} held-out posters (features of the others not extracted in time)` : ''}`,
    },
    metrics: {
      test,
      ...(previous ? { baseline: previous } : {}),
      ranking: rankingMetrics(yTe, calibrated, {
        rows: yTe.rows,
        cols: 7,
        data: decide(decision, pTe),
      }),
      reliability: {
        uncalibrated: reliabilityBins(yTe.data, pTe),
        calibrated: reliabilityBins(yTe.data, calibrated),
      },
    },
    check: {
      ids: checkIdx.map((i) => d.rows[d.test[i]!]!.key),
      metrics: cardMetrics(
        takeRows(yTe, checkIdx),
        decide(decision, pTe.slice(0, checkIdx.length * 7)),
      ),
      firstProbabilities: Array.from(pTe.slice(0, 21)),
    },
    spec: prev
      ? { ...prev.card.spec, decisionBackend: compute.name, keptHead: PREVIOUS_COMMIT }
      : {
          kind: 'transfer-head',
          ...head!.options,
          epochsRun: head!.history.length,
          featureSet: fsName,
          ...(comparison ? { featureComparison: comparison } : {}),
          backend: compute.name,
        },
    files: ['weights.bin'],
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'model.json'), JSON.stringify(files.modelJson));
  writeFileSync(join(OUT, 'weights.bin'), files.weights);
  writeFileSync(join(OUT, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  console.log(
    `shipped ${fsName}, rule ${candidateName(sel.chosen.chosen.candidate)}: held-out micro-F1 ${test.microF1.toFixed(4)}, macro-F1 ${test.macroF1.toFixed(4)}, groups/poster ${test.predictedPerPoster?.toFixed(2)} vs ${test.truePerPoster?.toFixed(2)}` +
      (previous
        ? ` (previous: micro ${previous.microF1.toFixed(4)}, macro ${previous.macroF1.toFixed(4)}, ${previous.predictedPerPoster?.toFixed(2)}/poster)`
        : ''),
  );
  tf.disposeVariables();
}

/** Which training posters a partial run trained on, by source. */
function trainedBy(d: DefaultData): string {
  const count = (src: string) => d.train.filter((r) => d.rows[r]!.source === src).length;
  return `${count('cs109b')} cs109b and ${count('kaggle')} Kaggle posters`;
}

/** Per-label cuts on calibrated probabilities for the bar chart (1 = never by threshold: ranked rules). */
export function displayThresholds(d: Decision): number[] {
  const n = d.calibrators.length;
  if (d.rule.kind === 'thresholds') return [...d.rule.thresholds];
  if (d.rule.kind === 'global') return new Array<number>(n).fill(d.rule.cut);
  return new Array<number>(n).fill(1);
}

if (process.argv[1] && process.argv[1].endsWith('train-default.ts')) {
  helpIfAsked(process.argv.slice(2), TRAIN_DEFAULT_USAGE);
  await main();
}
