/**
 * Full-model export in the built app: Predict → "Export as one tfjs model" downloads model.json,
 * weights.bin and metadata.json; a plain page with nothing but tfjs' own UMD build
 * (node_modules/@tensorflow/tfjs/dist/tf.min.js) loads them with tf.loadLayersModel, prepares a
 * poster as metadata.json says (browser decoder, bilinear resize, x / 127.5 − 1), applies the
 * calibration it lists, and gets the probabilities the studio showed for the same poster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { madePosterFile, startApp, type AppSession } from './app.ts';
import { predictPoster } from './predict-helpers.ts';
import { serveStatic, type StaticServer } from './serve.ts';

/** Any poster will do: one we make, so this runs without the shared data folder. */
const POSTER = madePosterFile();
const dir = mkdtempSync(join(tmpdir(), 'marquee-full-model-'));
let app: AppSession;
let plain: StaticServer | undefined;

/** The whole "app" a tfjs user writes: load, prepare as the metadata says, predict, calibrate. */
const PLAIN_PAGE = `<!doctype html><meta charset="utf-8"><script src="tf.min.js"></script>
<script>
window.run = async () => {
  await tf.setBackend('cpu');
  const meta = await (await fetch('metadata.json')).json();
  const model = await tf.loadLayersModel('model.json');
  const img = new Image();
  img.src = 'poster.jpg';
  await img.decode();
  const [h, w] = meta.input.shape;
  const x = tf.tidy(() =>
    tf.image.resizeBilinear(tf.browser.fromPixels(img).toFloat(), [h, w]).div(127.5).sub(1).expandDims(0));
  let p = model.predict(x);
  if (meta.flipAveraging) p = tf.tidy(() => p.add(model.predict(tf.reverse(x, 2))).div(2));
  const raw = Array.from(await p.data());
  const logit = (q) => Math.log(Math.max(q, 1e-7) / Math.max(1 - q, 1e-7));
  const cal = raw.map((q, i) => {
    const c = meta.calibrators[i];
    if (c.kind === 'platt') return 1 / (1 + Math.exp(-(c.a * logit(q) + c.b)));
    if (c.kind === 'none') return q;
    throw new Error('calibration ' + c.kind + ' not handled by this page');
  });
  return { labels: meta.labels, raw, cal };
};
</script>`;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await app?.close();
  await plain?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('full-model export', () => {
  it('loads in a plain tfjs page and gives the studio’s probabilities', async () => {
    const { page } = app;
    await page.goto(`${app.server.url}/#/predict`);
    const studio = await predictPoster(page, POSTER);

    const names: string[] = [];
    const downloads = new Promise<void>((done) => {
      page.on('download', (d) => {
        void d.saveAs(join(dir, d.suggestedFilename())).then(() => {
          names.push(d.suggestedFilename());
          if (names.length === 3) done();
        });
      });
    });
    await page.getByTestId('export-full').click();
    await downloads;
    expect(names.sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as {
      format: string;
      labels: string[];
    };
    expect(meta.format).toBe('marquee-full-model');
    expect(meta.labels).toHaveLength(7);

    copyFileSync(resolve('node_modules/@tensorflow/tfjs/dist/tf.min.js'), join(dir, 'tf.min.js'));
    copyFileSync(POSTER, join(dir, 'poster.jpg'));
    writeFileSync(join(dir, 'index.html'), PLAIN_PAGE);
    plain = await serveStatic(dir, { isolationHeaders: false });
    const other = await page.context().newPage();
    await other.goto(`${plain.url}/index.html`);
    const out = await other.evaluate(() =>
      (window as unknown as { run(): Promise<{ cal: number[] }> }).run(),
    );
    console.info(
      `full model in a plain page: ${out.cal.map((v) => v.toFixed(3)).join(' ')}; studio ${studio.map((v) => v.toFixed(3)).join(' ')}`,
    );
    // The browser's JPEG decoder and tfjs' resize differ from the studio's jpeg-js and pipeline
    // resize by a pixel value here and there, and the weights are float16: close, not identical.
    out.cal.forEach((v, i) => expect(Math.abs(v - studio[i]!)).toBeLessThan(0.03));
    await other.close();
  });
});
