/**
 * The predict worker's session in real Chromium: the backbone from /__shared (the test server's
 * view of ../shared), the shipped model from /models/, real Kaggle posters. Parity: the card holds
 * the probabilities `npm run train:default` computed in Node for its first check posters; the
 * browser must give the same within 1e-4 (same jpeg-js decoding, same wasm kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCompute } from '../platform/index.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';
import { calibrateRows } from './calibration.ts';
import type { ModelCard } from './card.ts';
import { fetchModelFiles, ModelRefused, PredictSession, type ModelFiles } from './session.ts';
import { missingSharedInBrowser } from '../../test/shared-browser.ts';

const BACKBONE = '/__shared/models/mobilenetv2-0.35-imagenet/model.json';
/** A check id (`imdb:tt…` from Kaggle, `tmdb:…` from the CS109b crawl; bare ids in older cards) to its poster. */
const posterUrl = (id: string) =>
  id.startsWith('tmdb:')
    ? `/__shared/data/tmdb-cs109b/posters/${id.slice(5)}.jpg`
    : `/__shared/data/posters-kaggle/posters/${id.replace(/^imdb:/, '')}.jpg`;
const bytesOf = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

const checkIds = (
  (await (await fetch('/models/marquee-poster-v1/card.json')).json()) as ModelCard
).check!.ids.slice(0, 3);
const noData = await missingSharedInBrowser(
  import.meta.url,
  'the predict session on the float32 MobileNetV2 and real held-out posters (parity with Node)',
  'models/mobilenetv2-0.35-imagenet/model.json',
  ...checkIds.map((id) => posterUrl(id).slice('/__shared/'.length)),
);

describe.skipIf(noData)('PredictSession', () => {
  const session = new PredictSession((url) => tf.loadLayersModel(url), decodeInBrowser);
  let files: ModelFiles;
  let card: ModelCard;

  beforeAll(async () => {
    await initCompute({ prefer: 'wasm' });
    await session.useBackbone(BACKBONE);
    files = await fetchModelFiles('/models/marquee-poster-v1/', fetch);
    card = await session.useModel(files);
  });

  it('matches the Node probabilities of real held-out posters within 1e-4', async () => {
    const ids = card.check!.ids.slice(0, 3);
    const rows = await session.predict(
      await Promise.all(
        ids.map(async (id) => ({ name: `${id}.jpg`, bytes: await bytesOf(posterUrl(id)) })),
      ),
    );
    const got = rows.flatMap((r) => (r.ok ? r.probabilities : []));
    expect(got).toHaveLength(21);
    // The card keeps the head's raw probabilities; the session answers calibrated ones.
    const raw = card.check!.firstProbabilities;
    const want = card.decision ? calibrateRows(card.decision.calibrators, raw) : raw;
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4));
  });

  it('turns bad files into messages and keeps predicting the good ones', async () => {
    const good = await bytesOf(posterUrl(card.check!.ids[0]!));
    const rows = await session.predict([
      { name: 'empty.jpg', bytes: new Uint8Array(0) },
      {
        name: 'logo.svg',
        bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      },
      { name: 'cut.jpg', bytes: good.slice(0, good.length >> 1) },
      { name: 'good.jpg', bytes: good },
    ]);
    expect(rows.map((r) => (r.ok ? 'ok' : r.error.split(':')[0]))).toEqual([
      'empty file (0 bytes)',
      'SVG is not supported',
      'truncated or corrupt JPEG',
      'ok',
    ]);
  });

  it('refuses models whose files do not match their card', async () => {
    const missing = { ...files, shards: {} };
    await expect(session.useModel(missing)).rejects.toThrow(/missing weight shard weights.bin/);
    const other = {
      ...files,
      card: { ...card, labels: ['Drama', 'Comedy'], groups: [{}, {}], thresholds: [0.5, 0.5] },
    };
    await expect(session.useModel(other)).rejects.toBeInstanceOf(ModelRefused);
    await expect(session.useModel({ ...files, card: 'not json' })).rejects.toThrow(
      /not a JSON object/,
    );
    expect(session.card?.name).toBe('marquee-poster-v1'); // the active model stays
  });

  it('explains a backbone that cannot be fetched', async () => {
    await expect(session.useBackbone('/nowhere/model.json')).rejects.toThrow(
      /could not be loaded from \/nowhere\/model\.json .*not a usable TensorFlow\.js layers model/,
    );
  });
});
