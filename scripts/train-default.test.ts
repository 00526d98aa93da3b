/**
 * Reproduces the shipped model's held-out figures: rebuilds the split from ../shared/data
 * (seeded, so the same test posters), extracts MobileNetV2 features for the card's stated check
 * subset (the first 200 test posters; all 1,355 take minutes here), runs the shipped float16
 * head and compares with the metrics `npm run train:default` wrote for that same subset.
 * MARQUEE_FULL_EVAL=1 evaluates the whole test split against card.metrics.test instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeRows } from '../src/lib/metrics/index.ts';
import { initCompute } from '../src/lib/platform/node.ts';
import type { ModelCard } from '../src/lib/predict/card.ts';
import { loadHead } from '../src/lib/predict/head-io.ts';
import { headProbabilities } from '../src/lib/predict/poster-model.ts';
import {
  featuresOfFiles,
  KAGGLE,
  loadDefaultBackbone,
  loadDefaultData,
  posterPath,
} from './default-data.ts';
import { cardMetrics } from './train-default.ts';

const DIR = join(import.meta.dirname, '../public/models/marquee-poster-v1');
const card = JSON.parse(readFileSync(join(DIR, 'card.json'), 'utf8')) as ModelCard;
const full = process.env.MARQUEE_FULL_EVAL === '1';

describe.runIf(existsSync(KAGGLE))('the shipped poster model', () => {
  beforeAll(async () => void (await initCompute({ prefer: 'wasm' })));

  it(
    'reproduces its held-out metrics on the stated test subset',
    { timeout: 900_000 },
    async () => {
      const d = await loadDefaultData();
      expect(d.test.length).toBe(card.data.test);
      const rows = full ? d.test.map((_, i) => i) : card.check!.ids.map((_, i) => i);
      const ids = rows.map((i) => d.ids[d.test[i]!]!);
      if (!full) expect(ids).toEqual(card.check!.ids); // the same split, hence never trained on
      const backbone = await loadDefaultBackbone();
      const feats = await featuresOfFiles(backbone, ids.map(posterPath));
      const mj = JSON.parse(readFileSync(join(DIR, 'model.json'), 'utf8'));
      const head = await loadHead(
        mj,
        new Map([['weights.bin', new Uint8Array(readFileSync(join(DIR, 'weights.bin')))]]),
      );
      const p = await headProbabilities(head, feats, ids.length);
      // Same code, same wasm kernels: probabilities agree to float32 rounding.
      card.check!.firstProbabilities.forEach((v, i) => expect(p[i]).toBeCloseTo(v, 5));
      const got = cardMetrics(takeRows(takeRows(d.labels, d.test), rows), p, card.thresholds);
      const want = full ? card.metrics.test : card.check!.metrics;
      for (const k of [
        'hammingLoss',
        'exactMatch',
        'atLeastOne',
        'microF1',
        'macroF1',
        'samplesF1',
      ] as const)
        expect(got[k], k).toBeCloseTo(want[k], 6);
    },
  );

  it('beats the logistic-regression baseline on held-out micro-F1', () => {
    expect(card.metrics.test.microF1).toBeGreaterThan(card.metrics.baseline!.microF1);
  });
});
