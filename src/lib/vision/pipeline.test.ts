import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../features/random.ts';
import { decodeJpeg } from './decode-node.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';
import {
  CAFFE_MEAN_BGR,
  PAPER_POSTER,
  decodePoster,
  normalize,
  pipelineKey,
  posterCacheKey,
  preparePoster,
  resizeRgb,
  toGray,
  type RgbaImage,
} from './pipeline.ts';

const POSTERS = sharedUrl('data/posters-kaggle/posters/');
const noData = missingShared(
  import.meta.url,
  'the decode of a real Kaggle poster',
  'data/posters-kaggle/posters/tt0089869.jpg',
);

function randomImage(h: number, w: number, seed: number): RgbaImage {
  const rng = mulberry32(seed);
  const data = new Uint8Array(h * w * 4).map(() => Math.floor(rng() * 256));
  return { width: w, height: h, data };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resizeRgb', () => {
  it('matches tf.image.resizeBilinear with half-pixel centres (down and up)', async () => {
    for (const [h, w, th, tw] of [
      [37, 23, 14, 10],
      [9, 7, 20, 15],
    ] as const) {
      const img = randomImage(h, w, h);
      const rgb = new Float32Array(h * w * 3);
      for (let i = 0; i < h * w; i++)
        for (let c = 0; c < 3; c++) rgb[i * 3 + c] = img.data[i * 4 + c]!;
      const ref = tf.image.resizeBilinear(tf.tensor3d(rgb, [h, w, 3]), [th, tw], false, true);
      const want = await ref.data();
      ref.dispose();
      const got = resizeRgb(img, th, tw);
      const maxErr = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
      expect(maxErr).toBeLessThan(1e-3); // float32 rounding on 0–255 values
    }
  });

  it('keeps a constant image constant', () => {
    const img = { width: 5, height: 3, data: new Uint8Array(60).fill(77) };
    expect(new Set(resizeRgb(img, 7, 4))).toEqual(new Set([77]));
  });
});

describe('colour and normalisation', () => {
  it('gives BT.601 luma', () => {
    expect(toGray(Float32Array.from([255, 0, 0, 0, 255, 0, 10, 20, 30]))).toEqual(
      Float32Array.from([0.299 * 255, 0.587 * 255, 0.299 * 10 + 0.587 * 20 + 0.114 * 30]),
    );
  });

  it('maps 0 and 255 to the ends of each range', () => {
    const px = Float32Array.from([0, 255, 255]);
    expect([...normalize(px, 3, 'unit')]).toEqual([0, 1, 1]);
    expect([...normalize(px, 3, 'tf')]).toEqual([-1, 1, 1]);
    expect([...normalize(px, 3, 'raw')]).toEqual([0, 255, 255]);
  });

  it('caffe mode swaps to BGR and subtracts the ImageNet means', () => {
    const out = normalize(Float32Array.from([10, 20, 30]), 3, 'caffe');
    expect(out[0]).toBeCloseTo(30 - CAFFE_MEAN_BGR[0], 4);
    expect(out[1]).toBeCloseTo(20 - CAFFE_MEAN_BGR[1], 4);
    expect(out[2]).toBeCloseTo(10 - CAFFE_MEAN_BGR[2], 4);
  });

  it('rejects an image whose buffer does not match its size', () => {
    expect(() =>
      preparePoster({ width: 3, height: 3, data: new Uint8Array(10) }, PAPER_POSTER),
    ).toThrow(RangeError);
  });
});

describe.skipIf(noData)('real posters', () => {
  it('decodes a 182×268 Kaggle JPEG to the paper size 148×100, RGB and gray', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('tt0089869.jpg', POSTERS)));
    const raw = decodeJpeg(bytes);
    expect([raw.width, raw.height]).toEqual([182, 268]);
    const rgb = await decodePoster(bytes, PAPER_POSTER, decodeJpeg);
    expect([rgb.height, rgb.width, rgb.channels, rgb.data.length]).toEqual([148, 100, 3, 44_400]);
    expect(Math.min(...rgb.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...rgb.data)).toBeLessThanOrEqual(1);
    const gray = await decodePoster(bytes, { ...PAPER_POSTER, color: 'gray' }, decodeJpeg);
    expect(gray.data.length).toBe(14_800);
    // Gray is the luma of the resized RGB: check one pixel.
    const i = 5_000;
    expect(gray.data[i]).toBeCloseTo(
      0.299 * rgb.data[3 * i]! + 0.587 * rgb.data[3 * i + 1]! + 0.114 * rgb.data[3 * i + 2]!,
      5,
    );
  });
});

describe('cache keys', () => {
  it('differ by movie, pipeline and backbone', () => {
    const keys = new Set([
      posterCacheKey('imdb:tt1', PAPER_POSTER),
      posterCacheKey('imdb:tt2', PAPER_POSTER),
      posterCacheKey('imdb:tt1', { ...PAPER_POSTER, color: 'gray' }),
      posterCacheKey('imdb:tt1', PAPER_POSTER, 'mobilenetv2-0.35'),
    ]);
    expect(keys.size).toBe(4);
    expect(pipelineKey(PAPER_POSTER)).toBe('148x100-rgb-unit');
  });
});
