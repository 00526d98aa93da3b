/**
 * `npm run train:default`: trains the poster model the static site ships. MobileNetV2-0.35
 * ImageNet features (from ../shared/models) of the Kaggle posters (../shared/data), labelled with
 * the paper's 7 genre groups; a seeded stratified split into train / validation / test (the test
 * split is never trained on nor used for any choice). Candidates: the paper's MLP head at two
 * widths and the plain baseline (logistic regression on the same features); the one with the best
 * validation micro-F1 ships, thresholds per label tuned on validation. Writes the head only
 * (float16 tfjs layers files) and card.json to public/models/marquee-poster-v1/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PAPER7 } from '../src/lib/features/groups.ts';
import { TRAIN_DEFAULT_USAGE, helpIfAsked } from './cli-usage.ts';
import { evaluate, takeRows, thresholdScores, type LabelMatrix } from '../src/lib/metrics/index.ts';
import { tuneThresholds } from '../src/lib/models/thresholds.ts';
import { TransferHead } from '../src/lib/models/poster/transfer.ts';
import { BACKBONES } from '../src/lib/models/poster/backbones.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import {
  CARD_FORMAT,
  CARD_VERSION,
  type CardMetrics,
  type ModelCard,
} from '../src/lib/predict/card.ts';
import { headFiles, loadHead } from '../src/lib/predict/head-io.ts';
import { POSTER_PIPELINE, headProbabilities } from '../src/lib/predict/poster-model.ts';
import { cachedFeatures, loadDefaultBackbone, loadDefaultData, SPLIT } from './default-data.ts';

const OUT = join(import.meta.dirname, '../public/models/marquee-poster-v1');
const CHECK_ROWS = 200;

const rowsOf = (f: Float32Array, idx: readonly number[]) => {
  const out = new Float32Array(idx.length * 1280);
  idx.forEach((r, i) => out.set(f.subarray(r * 1280, (r + 1) * 1280), i * 1280));
  return { rows: idx.length, cols: 1280, data: out };
};

/** Scalar metrics for the card. */
export function cardMetrics(
  y: LabelMatrix,
  probs: Float32Array,
  thresholds: number[],
): CardMetrics {
  const r = evaluate(y, thresholdScores(probs, y.rows, y.cols, thresholds));
  const { hammingLoss, exactMatch, atLeastOne, microF1, macroF1, samplesF1 } = r;
  return { hammingLoss, exactMatch, atLeastOne, microF1, macroF1, samplesF1, rows: y.rows };
}

/** Logistic regression (one sigmoid unit per label, L2 1e-4) trained full-batch-ish with Adam to a plateau. */
async function trainLogistic(
  x: { rows: number; data: Float32Array },
  y: LabelMatrix,
  seed: number,
): Promise<tf.LayersModel> {
  const m = tf.sequential({
    name: 'logistic',
    layers: [
      tf.layers.dense({
        inputShape: [1280],
        units: 7,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.zeros(),
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }),
        name: 'logistic_out',
      }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(1e-2), loss: 'binaryCrossentropy' });
  const xs = tf.tensor2d(x.data, [x.rows, 1280]);
  const ys = tf.tensor2d(Float32Array.from(y.data), [y.rows, 7]);
  await m.fit(xs, ys, {
    epochs: 150,
    batchSize: 512,
    shuffle: true,
    verbose: 0,
    seed,
  } as tf.ModelFitArgs);
  xs.dispose();
  ys.dispose();
  return m;
}

async function main() {
  const compute = await initCompute({ prefer: 'wasm' });
  console.log(`backend ${compute.name}`);
  const d = await loadDefaultData();
  console.log(
    `posters ${d.ids.length}: train ${d.train.length}, validation ${d.validation.length}, test ${d.test.length}`,
  );
  const backbone = await loadDefaultBackbone();
  const t0 = performance.now();
  const feats = await cachedFeatures(
    backbone,
    d.ids,
    (a, n) => a % 800 === 0 && console.log(`features ${a}/${n}`),
  );
  console.log(`features ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const [xTr, xVa, xTe] = [d.train, d.validation, d.test].map((i) => rowsOf(feats, i)) as [
    ReturnType<typeof rowsOf>,
    ReturnType<typeof rowsOf>,
    ReturnType<typeof rowsOf>,
  ];
  const [yTr, yVa, yTe] = [d.train, d.validation, d.test].map((i) => takeRows(d.labels, i)) as [
    LabelMatrix,
    LabelMatrix,
    LabelMatrix,
  ];

  const candidates: { name: string; model: tf.LayersModel; spec: Record<string, unknown> }[] = [];
  for (const units of [128, 256]) {
    const h = new TransferHead({ units, epochs: 60, patience: 6, seed: 42 });
    await h.fit(xTr, yTr);
    candidates.push({
      name: `mlp-${units}`,
      model: h.model!,
      spec: { kind: 'transfer-head', ...h.options, epochsRun: h.history.length },
    });
  }
  const logistic = await trainLogistic(xTr, yTr, 42);
  candidates.push({
    name: 'logistic',
    model: logistic,
    spec: {
      kind: 'logistic',
      l2: 1e-4,
      optimizer: 'adam',
      learningRate: 1e-2,
      epochs: 150,
      batchSize: 512,
    },
  });

  const scored = [];
  for (const c of candidates) {
    // Score each candidate as it would ship: float16 weights after the file round trip.
    const files = await headFiles(c.model, 'float16');
    const shipped = await loadHead(files.modelJson, new Map([['weights.bin', files.weights]]));
    const pVa = await headProbabilities(shipped, xVa.data, xVa.rows);
    const thresholds = tuneThresholds(pVa, yVa, 'f1');
    const validation = cardMetrics(yVa, pVa, thresholds);
    console.log(`${c.name}: validation micro-F1 ${validation.microF1.toFixed(4)}`);
    scored.push({ ...c, files, shipped, thresholds, validation });
  }
  const best = scored
    .filter((s) => s.name !== 'logistic')
    .sort((a, b) => b.validation.microF1 - a.validation.microF1)[0]!;
  const base = scored.find((s) => s.name === 'logistic')!;
  const winner = base.validation.microF1 > best.validation.microF1 ? base : best;
  const pTe = await headProbabilities(winner.shipped, xTe.data, xTe.rows);
  const test = cardMetrics(yTe, pTe, winner.thresholds);
  const pBase = await headProbabilities(base.shipped, xTe.data, xTe.rows);
  const baseline = {
    model: 'logistic regression on the same features (thresholds tuned on validation)',
    ...cardMetrics(yTe, pBase, base.thresholds),
  };
  const checkIdx = Array.from({ length: Math.min(CHECK_ROWS, d.test.length) }, (_, i) => i);
  const check = {
    ids: checkIdx.map((i) => d.ids[d.test[i]!]!),
    metrics: cardMetrics(
      takeRows(yTe, checkIdx),
      pTe.slice(0, checkIdx.length * 7),
      winner.thresholds,
    ),
    firstProbabilities: Array.from(pTe.slice(0, 21)),
  };
  const card: ModelCard = {
    format: CARD_FORMAT,
    version: CARD_VERSION,
    name: 'marquee-poster-v1',
    kind: 'poster',
    createdAt: new Date().toISOString().slice(0, 10),
    labels: PAPER7.map((g) => g.name),
    groups: PAPER7.map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
    thresholds: winner.thresholds,
    backbone: {
      name: 'mobilenetv2-0.35',
      featureDims: 1280,
      officialUrl: BACKBONES['mobilenetv2-0.35'].officialUrl,
    },
    preprocessing: {
      ...POSTER_PIPELINE,
      resize: 'bilinear, half-pixel centres, to 224×224 (aspect not kept)',
      decoder: 'JPEG: jpeg-js; others: browser createImageBitmap',
    },
    head: {
      architecture:
        winner.name === 'logistic'
          ? '1280→7 sigmoid'
          : `1280→${winner.name.slice(4)}→${winner.name.slice(4)}→7 (ReLU, dropout 0.5, sigmoid)`,
      selectedBy: `validation micro-F1 among ${scored.map((s) => `${s.name} ${s.validation.microF1.toFixed(4)}`).join(', ')}`,
      quantization: 'float16',
    },
    data: {
      source:
        'posters-kaggle (Movie Genre from its Poster, 6,826 posters; IMDb genres mapped to TMDb ids, then to the 7 groups)',
      rows: d.ids.length,
      train: d.train.length,
      validation: d.validation.length,
      test: d.test.length,
      split: `iterative stratification, test ${SPLIT.testFraction} (seed ${SPLIT.seed}), validation ${SPLIT.validationFraction} of the rest (seed ${SPLIT.seed + 1})`,
    },
    metrics: { test, baseline, validation: winner.validation },
    check,
    spec: {
      ...winner.spec,
      backend: compute.name,
      thresholdObjective: 'per-label F1 on validation',
    },
    files: ['weights.bin'],
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'model.json'), JSON.stringify(winner.files.modelJson));
  writeFileSync(join(OUT, 'weights.bin'), winner.files.weights);
  writeFileSync(join(OUT, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  console.log(
    `shipped ${winner.name}: test micro-F1 ${test.microF1.toFixed(4)} (baseline ${baseline.microF1.toFixed(4)}), ${winner.files.weights.length} bytes of weights`,
  );
}

if (process.argv[1] && process.argv[1].endsWith('train-default.ts')) {
  helpIfAsked(process.argv.slice(2), TRAIN_DEFAULT_USAGE);
  await main();
}
