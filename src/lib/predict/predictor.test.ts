import * as tf from '@tensorflow/tfjs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from './card.ts';
import { PosterPredictor, predictedLabels, type PosterPrediction } from './predictor.ts';
import { predictionsCsv } from './predictions-csv.ts';

const labels = ['a', 'b', 'c'];

describe('predictedLabels', () => {
  it("uses the card's rule on calibrated probabilities when it has one", () => {
    const card = {
      labels,
      thresholds: [1, 1, 1],
      decision: { rule: { kind: 'top-k' as const, k: 2 } } as ModelCard['decision'],
    };
    expect(predictedLabels([0.1, 0.3, 0.2], card)).toEqual(['b', 'c']);
  });
  it('falls back to per-label thresholds for older cards', () => {
    expect(predictedLabels([0.1, 0.3, 0.2], { labels, thresholds: [0.05, 0.5, 0.2] })).toEqual([
      'a',
      'c',
    ]);
  });
});

describe('PosterPredictor probabilities', () => {
  beforeAll(async () => void (await tf.setBackend('cpu')));

  // A 1×2 "image" whose backbone feature is its left pixel, and a head that passes it through:
  // flip averaging must give the mean of the left and right pixels, then calibration applies.
  const backbone = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [1, 2, 1] }),
      tf.layers.dense({ units: 1, useBias: false, weights: [tf.tensor2d([[1], [0]])] }),
    ],
  });
  const head = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [1],
        units: 1,
        useBias: false,
        weights: [tf.tensor2d([[1]])],
      }),
    ],
  });
  const image = { height: 1, width: 2, channels: 1, data: new Float32Array([0.2, 0.6]) };
  const card = (extra: Partial<ModelCard>) =>
    ({ labels: ['a'], thresholds: [0.5], backbone: { featureDims: 1 }, ...extra }) as ModelCard;

  it('averages the features of the poster and its mirror image when the card says so', async () => {
    const plain = new PosterPredictor(backbone, head, card({}));
    expect((await plain.probabilities([image]))[0]).toBeCloseTo(0.2, 6);
    const flip = new PosterPredictor(backbone, head, card({ flipAveraging: true }));
    expect((await flip.probabilities([image]))[0]).toBeCloseTo(0.4, 6);
  });

  it("applies the card's calibrators", async () => {
    const decision = {
      calibrators: [{ kind: 'isotonic' as const, x: [0, 1], y: [0.5, 1] }],
      rule: { kind: 'global' as const, cut: 0.5, minOne: false },
    } as ModelCard['decision'];
    const p = new PosterPredictor(backbone, head, card({ decision }));
    expect((await p.probabilities([image]))[0]).toBeCloseTo(0.6, 6);
  });
});

describe('predictionsCsv', () => {
  it('carries the probabilities and one 0/1 decision column per label', () => {
    const rows: PosterPrediction[] = [
      { file: 'x.jpg', ok: true, probabilities: [0.9, 0.1, 0.6], predicted: ['a', 'c'], ms: 1 },
      { file: 'bad.png', ok: false, error: 'not an image' },
    ];
    expect(predictionsCsv(rows, labels).split('\n')).toEqual([
      'file,a,b,c,a predicted,b predicted,c predicted,predicted,error',
      'x.jpg,0.900000,0.100000,0.600000,1,0,1,a|c,',
      'bad.png,,,,,,,,not an image',
      '',
    ]);
  });

  it('neutralizes file names and errors a spreadsheet would run as formulas, tab and CR included', () => {
    const files = ['=1+1.jpg', '@x.png', '\t=cmd.jpg', '\r=cmd.jpg', 'ok.jpg'];
    const rows: PosterPrediction[] = files.map((file) => ({ file, ok: false, error: '-bad' }));
    const back = Papa.parse<string[]>(predictionsCsv(rows, labels).trim()).data.slice(1);
    expect(back.map((r) => r[0])).toEqual([...files.slice(0, 4).map((f) => `'${f}`), 'ok.jpg']);
    expect(back.map((r) => r.at(-1))).toEqual(files.map(() => "'-bad"));
  });
});
