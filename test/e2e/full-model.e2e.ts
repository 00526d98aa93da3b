/**
 * The full-model export in a fresh page with no Marquee code: a bare HTML page with tfjs' own
 * bundle (tf.min.js from the npm package) loads model.json with tf.loadLayersModel and gives, for
 * a poster's prepared input, the head probabilities Marquee's code computes in Node.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFullModel } from '../../scripts/export-full-model.ts';
import { loadModelDir } from '../../scripts/predict.ts';
import { initCompute } from '../../src/lib/platform/node.ts';
import {
  backboneFeatures,
  headProbabilities,
  prepareForBackbone,
} from '../../src/lib/predict/poster-model.ts';
import { makeJpeg } from '../../src/test/posters.ts';
import { decodeJpeg } from '../../src/lib/vision/decode-node.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const MODEL = join(ROOT, 'public/models/marquee-poster-v1');
const BACKBONE = join(ROOT, 'public/models/mobilenetv2-0.35');
const dir = mkdtempSync(join(tmpdir(), 'marquee-full-model-page-'));
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  await initCompute({ prefer: 'cpu' });
  await exportFullModel(MODEL, BACKBONE, join(dir, 'model'));
  const tfjs = createRequire(import.meta.url).resolve('@tensorflow/tfjs/dist/tf.min.js');
  copyFileSync(tfjs, join(dir, 'tf.min.js'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>plain tfjs</title><script src="tf.min.js"></script>',
  );
  server = await serveStatic(dir, { isolationHeaders: false });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exported full model in a page with no studio code', () => {
  it('loads with tf.loadLayersModel and matches the studio’s probabilities', async () => {
    const input = prepareForBackbone(decodeJpeg(makeJpeg(180, 270, 11)));
    const studio = await loadModelDir(MODEL, BACKBONE);
    const f = await backboneFeatures(studio.backbone, [input]);
    const want = Array.from(await headProbabilities(studio.head, f.data, 1));

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => void errors.push(e.message));
    await page.goto(`${server.url}/index.html`);
    const got = await page.evaluate(async (data: number[]) => {
      const tf = (globalThis as unknown as { tf: typeof import('@tensorflow/tfjs') }).tf;
      await tf.setBackend('cpu');
      const model = await tf.loadLayersModel('model/model.json');
      const meta = (await (await fetch('model/metadata.json')).json()) as {
        input: { shape: number[] };
        labels: string[];
      };
      const y = model.predict(tf.tensor4d(data, [1, ...meta.input.shape] as never)) as {
        data(): Promise<Float32Array>;
      };
      return {
        p: Array.from(await y.data()),
        labels: meta.labels,
        studio: 'marquee' in globalThis,
      };
    }, Array.from(input.data));

    expect(got.studio).toBe(false);
    expect(got.labels).toHaveLength(want.length);
    expect(got.p).toHaveLength(want.length);
    got.p.forEach((p, i) => expect(Math.abs(p - want[i]!)).toBeLessThan(1e-4));
    // Only the page, tfjs and the export (the browser's own favicon probe aside).
    expect(server.requests.filter((r) => r !== '/favicon.ico').sort()).toEqual(
      [
        '/index.html',
        '/model/metadata.json',
        '/model/model.json',
        '/model/weights.bin',
        '/tf.min.js',
      ].sort(),
    );
    expect(errors).toEqual([]);
  });
});
