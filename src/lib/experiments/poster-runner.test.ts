import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMoviesCsv } from '../data/csv.ts';
import type { Movie } from '../data/types.ts';
import '../models/node.ts';
import '../models/poster/kinds.ts';
import { layersArtifacts, loadLayersBackbone } from '../models/poster/backbones.ts';
import { useBackend } from '../platform/node.ts';
import { memoryPosterCache } from '../vision/cache.ts';
import { decodeJpeg } from '../vision/decode-node.ts';
import { runPosterExperiment, type PosterSource } from './poster-runner.ts';
import { posterSpecProblems, type PosterExperimentSpec } from './poster-spec.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';

const KAGGLE = sharedUrl('data/posters-kaggle/');
const MODELS = sharedUrl('models/');
const noData = missingShared(
  import.meta.url,
  'runPosterExperiment on real Kaggle posters and MobileNetV2',
  'data/posters-kaggle/labels.csv',
  'data/posters-kaggle/posters',
  'models/mobilenetv2-0.35-imagenet/model.json',
);
let movies: Movie[] = [];

function source(cache = memoryPosterCache()): PosterSource & { cache: typeof cache } {
  return {
    read: async (m) => {
      const f = new URL(`posters/${m.imdbId}.jpg`, KAGGLE);
      return existsSync(f) ? new Uint8Array(readFileSync(f)) : null;
    },
    decode: decodeJpeg,
    cache,
    backbone: async () => {
      const dir = new URL('mobilenetv2-0.35-imagenet/', MODELS);
      const json = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8'));
      const shards = new Map([
        ['weights.bin', new Uint8Array(readFileSync(new URL('weights.bin', dir))).buffer],
      ]);
      return loadLayersBackbone(layersArtifacts(json, shards));
    },
  };
}

const spec = (model: PosterExperimentSpec['model'], limit: number): PosterExperimentSpec => ({
  data: { posters: 'posters', labels: 'labels.csv' },
  labels: { groups: 'paper7' },
  model,
  split: { testFraction: 0.25, seed: 3 },
  limit,
});

beforeAll(async () => {
  await useBackend('wasm');
  if (noData) return;
  movies = (await parseMoviesCsv(readFileSync(new URL('labels.csv', KAGGLE), 'utf8'))).movies;
});

describe('posters spec validation', () => {
  it('accepts a valid spec and lists every problem of a bad one', () => {
    expect(posterSpecProblems(spec({ kind: 'cnn', params: { preset: 'tuned' } }, 100))).toEqual([]);
    const bad = posterSpecProblems({
      data: { posters: 1 },
      labels: { groups: 'paper7' },
      model: { kind: 'cnn', params: { preset: 'huge', optimizer: 'sgd' } },
      split: { testFraction: 2, seed: 0 },
    });
    expect(bad).toHaveLength(4);
    expect(bad.join('\n')).toMatch(/data[\s\S]*preset[\s\S]*optimizer[\s\S]*split/);
    expect(posterSpecProblems({ ...spec({ kind: 'svm' }, 100) })[0]).toMatch(/model.kind/);
  });
});

describe.skipIf(noData)('runPosterExperiment on real Kaggle posters', () => {
  it('PCA + SVM with a grid chosen on validation; second run reads every poster from the cache', async () => {
    const src = source();
    const s = spec({ kind: 'pca-svm', params: { maxComponents: 60 }, grid: { C: [0.3, 3] } }, 160);
    const r = await runPosterExperiment(s, movies, src);
    expect(r.dataset.trainRows + r.dataset.testRows).toBe(160);
    expect(r.cv).toHaveLength(2);
    expect(r.posters.fromCache).toBe(0);
    expect(r.posters.pcaComponents).toBeGreaterThan(1);
    expect(r.posters.explainedVarianceRatio!.length).toBe(60);
    // Ratios of a PCA decrease and sum to at most 1.
    const ev = r.posters.explainedVarianceRatio!;
    expect(ev.every((v, i) => i === 0 || v <= ev[i - 1]! + 1e-6)).toBe(true);
    expect(ev.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-4);
    // Eigenposters: the first 12 components as 148×100 gray images, orthonormal to 1e-3.
    const eig = r.posters.eigenposters!;
    expect([eig.height, eig.width, eig.components.length]).toEqual([148, 100, 12]);
    for (const [i, c] of eig.components.entries()) {
      expect(c).toHaveLength(148 * 100);
      for (const [j, d] of eig.components.entries()) {
        const dot = c.reduce((a, v, k) => a + v * d[k]!, 0);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-3);
      }
    }
    expect(r.test.perLabel).toHaveLength(7);
    expect(r.test.hammingLoss).toBeGreaterThan(0);
    expect(r.test.hammingLoss).toBeLessThan(0.5);
    // Ranking metrics of the test probabilities, with counts that agree with the F1 section.
    const m = r.test.ranking!;
    expect(m.rocAuc.micro!).toBeGreaterThan(0);
    expect(m.logLoss).toBeGreaterThan(0);
    expect(m.confusion.map((c) => c.tp + c.fn)).toEqual(r.test.perLabel.map((l) => l.support));
    expect(r.test.curves!.reliability.reduce((s, b) => s + b.count, 0)).toBe(
      r.dataset.testRows * 7,
    );
    const again = await runPosterExperiment(s, movies, src);
    expect(again.posters.fromCache).toBe(160);
    expect(again.test.hammingLoss).toBe(r.test.hammingLoss);
  });

  it('transfer: MobileNetV2-0.35 features cached by backbone, head trained, examples reported', async () => {
    const src = source();
    const s = spec(
      { kind: 'transfer', params: { backbone: 'mobilenetv2-0.35', epochs: 10, units: 64 } },
      120,
    );
    // A clock that jumps 1 s per call, so the tracker reports every tick (it throttles to 100 ms).
    let clock = 0;
    const seen: { done: number; total: number | null }[] = [];
    const r = await runPosterExperiment(s, movies, src, {
      nowMs: () => (clock += 1000),
      onProgress: (p) => seen.push({ done: p.done, total: p.total }),
    });
    // Progress is counted in epochs: 1 unit for the inputs + 10 epochs, credited during the fit
    // (not in one jump at its end), never going back, ending exactly at the total.
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done - 1e-9)).toBe(true);
    expect(seen.at(-1)).toEqual({ done: 11, total: 11 });
    expect(seen.filter((p) => p.done > 1 + 1e-9 && p.done < 11 - 1e-9).length).toBeGreaterThan(3);
    expect(r.dataset.featureNames[0]).toMatch(/1280/);
    expect(src.cache.size()).toBe(120);
    expect(r.posters.curves.length).toBeGreaterThan(1);
    expect(r.posters.examples.length).toBe(12);
    expect(r.test.atLeastOne).toBeGreaterThan(0);
  });

  it('transfer with fineTuneEpochs: head, then MobileNetV2 last block fine-tuned on images; test metrics of the tuned model', async () => {
    const src = source();
    const s = spec(
      {
        kind: 'transfer',
        params: {
          backbone: 'mobilenetv2-0.35',
          epochs: 3,
          units: 16,
          batchSize: 8,
          patience: 0,
          validationFraction: 0.2,
          fineTuneEpochs: 1,
          fineTuneLearningRate: 1e-4,
        },
      },
      24,
    );
    // One backbone instance for the whole run, as the studio's worker keeps it for later runs.
    const net = await source().backbone!('mobilenetv2-0.35');
    src.backbone = async () => net;
    const probe = async () => {
      const out = tf.tidy(() => net.predict(tf.fill([1, 224, 224, 3], 0.3)) as tf.Tensor);
      const data = Array.from(await out.data());
      out.dispose();
      return data;
    };
    const featuresBefore = await probe();
    let decoded = 0;
    const decode = src.decode;
    src.decode = (bytes) => (decoded++, decode(bytes));
    const logs: { run: string; epoch: number }[] = [];
    const r = await runPosterExperiment(s, movies, src, {
      onEpochEnd: (run, l) => logs.push({ run, epoch: l.epoch }),
    });
    // Stage 2 streams its images: 24 decodes for the features, then per fine-tuning epoch the 17
    // training posters (14 fitted + 3 for early stopping) decoded again batch by batch, and the 7
    // test posters once to predict.
    expect(r.dataset).toMatchObject({ trainRows: 17, testRows: 7 });
    expect(decoded).toBe(24 + 17 + 7);
    // Only the 24 feature vectors were cached; the 224×224 images for stage 2 were not stored.
    expect(src.cache.size()).toBe(24);
    const ft = r.posters.fineTune!;
    // The head's 3 epochs, then the fine-tuning epoch numbered after them, all reported live.
    expect(ft).toMatchObject({ fromEpoch: 4, epochs: 1, bestEpoch: 4 });
    expect(r.posters.curves.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    expect(logs).toEqual([1, 2, 3, 4].map((epoch) => ({ run: 'final', epoch })));
    expect(Number.isFinite(r.posters.curves[3]!.valLoss)).toBe(true); // validation from the training split
    expect(r.dataset.trainRows + r.dataset.testRows).toBe(24);
    expect(Number.isFinite(ft.headTest.hammingLoss)).toBe(true);
    expect(r.test.hammingLoss).toBeGreaterThanOrEqual(0);
    expect(r.test.hammingLoss).toBeLessThanOrEqual(1);
    // The shared backbone is given back as it was: the same image gives the same features.
    expect(await probe()).toEqual(featuresBefore);
    const again = await runPosterExperiment(
      { ...s, model: { ...s.model, params: { ...s.model.params, fineTuneEpochs: 0 } } },
      movies,
      src,
    );
    expect(again.posters.fineTune).toBeUndefined();
    expect(again.posters.fromCache).toBe(24);
    expect(decoded).toBe(48); // features from the cache, no stage 2: nothing decoded
    expect(again.test.hammingLoss).toBe(ft.headTest.hammingLoss);
  });
});
