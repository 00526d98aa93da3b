/**
 * Reproduces the shipped model's held-out figures: rebuilds the data and its split from
 * ../shared/data (seeded, so the same held-out posters), extracts MobileNetV2 features for the
 * card's stated check subset (the first 48 held-out posters; all of them take many minutes
 * here), runs the shipped float16 head and the card's calibration and decision rule, and compares
 * with the metrics `npm run train:default` wrote for that same subset.
 * MARQUEE_FULL_EVAL=1 evaluates the whole held-out split against card.metrics.test instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeRows } from '../src/lib/metrics/index.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import type { ModelCard } from '../src/lib/predict/card.ts';
import { decide } from '../src/lib/predict/decision-rule.ts';
import { flipHorizontal, pooledFeatures } from '../src/lib/predict/features.ts';
import { loadHead } from '../src/lib/predict/head-io.ts';
import {
  decodeChecked,
  headProbabilities,
  prepareForBackbone,
} from '../src/lib/predict/poster-model.ts';
import { missingShared } from '../src/test/shared.ts';
import { loadDefaultBackbone, loadDefaultData } from './default-data.ts';
import { cardMetrics } from './train-default.ts';

const DIR = join(import.meta.dirname, '../public/models/marquee-poster-v1');
const card = JSON.parse(readFileSync(join(DIR, 'card.json'), 'utf8')) as ModelCard;
const full = process.env.MARQUEE_FULL_EVAL === '1';
const noData = missingShared(
  import.meta.url,
  "the reproduction of the shipped model's held-out figures (real posters and MobileNetV2-0.35)",
  'data/posters-kaggle/posters',
  'data/tmdb-cs109b/movies.csv',
  'data/metadata/tmdb-imdb-2011-2016.csv',
  'data/metadata/imdb-5000.csv',
  'models/mobilenetv2-0.35-imagenet/model.json',
);

describe.skipIf(noData)('the shipped poster model', () => {
  beforeAll(async () => void (await initCompute({ prefer: 'wasm' })));

  it(
    'reproduces its held-out metrics on the stated held-out subset',
    { timeout: 1_800_000 },
    async () => {
      const d = await loadDefaultData();
      const byKey = new Map(d.rows.map((r, i) => [r.key, i]));
      const rows = full ? d.test : card.check!.ids.map((k) => byKey.get(k)!);
      if (!full) {
        // the same split, hence never trained on
        const test = new Set(d.test);
        expect(rows.every((r) => test.has(r))).toBe(true);
      }
      const backbone = await loadDefaultBackbone();
      const feats = new Float32Array(rows.length * 1280);
      for (let s = 0; s < rows.length; s += 16) {
        const imgs = await Promise.all(
          rows.slice(s, s + 16).map(async (r) => {
            const p = d.rows[r]!;
            const bytes = new Uint8Array(readFileSync(join(p.dir, p.file)));
            return prepareForBackbone(await decodeChecked(bytes));
          }),
        );
        const f = await pooledFeatures(backbone, imgs);
        if (card.flipAveraging) {
          const m = await pooledFeatures(backbone, imgs.map(flipHorizontal));
          f.forEach((v, i) => (f[i] = (v + m[i]!) / 2));
        }
        feats.set(f, s * 1280);
      }
      const mj = JSON.parse(readFileSync(join(DIR, 'model.json'), 'utf8'));
      const head = await loadHead(
        mj,
        new Map([['weights.bin', new Uint8Array(readFileSync(join(DIR, 'weights.bin')))]]),
      );
      const p = await headProbabilities(head, feats, rows.length);
      // Same code, same wasm kernels: probabilities agree to float32 rounding.
      card.check!.firstProbabilities.forEach((v, i) => expect(p[i]).toBeCloseTo(v, 5));
      const got = cardMetrics(takeRows(d.labels, rows), decide(card.decision!, p));
      const want = full ? card.metrics.test : card.check!.metrics;
      for (const k of [
        'hammingLoss',
        'exactMatch',
        'atLeastOne',
        'microF1',
        'macroF1',
        'samplesF1',
        'predictedPerPoster',
      ] as const)
        expect(got[k], k).toBeCloseTo(want[k]!, 6);
    },
  );

  it('predicts within 0.3 groups per poster of the truth on the held-out split', () => {
    const t = card.metrics.test;
    expect(Math.abs(t.predictedPerPoster! - t.truePerPoster!)).toBeLessThanOrEqual(0.3);
  });
});
