/**
 * Backbone weights offline, in the built app. A first visit predicts a poster with the backbone
 * that ships with the site (models/mobilenetv2-0.35/, no ../shared mount), downloaded from the site
 * and kept in Cache Storage by the model store (no service worker needed); with the browser offline and the
 * server gone, a reload predicts again from the cache. A fresh browser that goes offline before it
 * ever loaded a backbone gets the plain message, and the app stays usable: Settings → Backbone
 * weights says why it cannot read a .h5 offline yet (its reader is kept on first use), then, back
 * online, takes a full-size VGG16 notop .h5 (written here with h5wasm) and refuses a truncated one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import h5wasm from 'h5wasm/node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { formatMegabytes, SHIPPED_BACKBONES } from '../../src/lib/net/model-hosts.ts';
import { writeVgg16H5 } from '../../src/test/vgg-h5-fixture.ts';
import { madePosterFile, SHOTS } from './app.ts';
import { ensureBuilt } from './build.ts';
import { predictPoster } from './predict-helpers.ts';
import { serveStatic, type StaticServer } from './serve.ts';

/** Any poster will do: one we make, so this runs without the shared data folder. */
const POSTER = madePosterFile();
const H5_NAME = 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5';
/** What Predict says offline with nothing stored: the site itself cannot be reached; its own copy's size. */
const offlineMessage = (host: string) =>
  `The MobileNetV2 α=0.35 weights are not on this device yet and ${host} cannot be reached. ` +
  `Connect once to download them (${formatMegabytes(SHIPPED_BACKBONES['mobilenetv2-0.35']!.sizeBytes)}), or drop the weight files in Settings → Backbone weights.`;

let browser: Browser;
let dist: string;

beforeAll(async () => {
  dist = await ensureBuilt();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
});

const serve = () => serveStatic(dist, { isolationHeaders: true });

/** Waits until the service worker is active and controls the page (app shell precached: ~30 MB). */
async function swReady(page: Page): Promise<void> {
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    const ok = await page.evaluate(
      async () =>
        navigator.serviceWorker.controller !== null &&
        (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated',
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the service worker never took control');
}

/** Model-cache entries by path. */
const modelCache = (page: Page) =>
  page.evaluate(async () => {
    const cache = await caches.open('marquee-models');
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  });

describe('a visitor who loaded the backbone once', () => {
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  let first: number[];

  beforeAll(async () => {
    server = await serve();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('predicts on the first visit and keeps the backbone files in Cache Storage', async () => {
    await page.goto(`${server.url}/#/predict`);
    first = await predictPoster(page, POSTER);
    expect(first).toHaveLength(7);
    const files = await modelCache(page);
    console.info(`backbones e2e: model cache after the first visit: ${files.join(', ')}`);
    expect(files.filter((f) => f.includes('mobilenetv2-0.35'))).toEqual([
      '/models/mobilenetv2-0.35/model.json',
      '/models/mobilenetv2-0.35/weights.bin',
    ]);
    expect(files.some((f) => f.startsWith('/models/marquee-poster-v1/'))).toBe(true);
    await swReady(page);
  });

  it('predicts again offline, with the server gone, from the cache (same probabilities)', async () => {
    await server.close();
    await context.setOffline(true);
    await page.reload();
    const again = await predictPoster(page, POSTER);
    // Same files, same wasm kernels: identical up to float noise.
    again.forEach((p, i) => expect(p).toBeCloseTo(first[i]!, 6));
    await page.screenshot({ path: join(SHOTS, 'backbones-offline-predict.png') });
  });
});

describe('a fresh browser offline before it ever loaded a backbone', () => {
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await serve();
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (e) => void errors.push(e.message));
    await page.goto(`${server.url}/#/settings`);
    await swReady(page);
    await context.setOffline(true);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('gets the plain message in Predict, not a blank page', async () => {
    await page.evaluate(() => (location.hash = '#/predict'));
    const alert = page.locator('[data-testid=predict-status] [role=alert]');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toBe(offlineMessage(new URL(server.url).host));
    await page.screenshot({ path: join(SHOTS, 'backbones-offline-message.png') });
    expect(await modelCache(page)).toEqual([]);
  });

  it('stays usable: Settings says offline why it cannot read a VGG16 .h5 yet, then takes one online and refuses a truncated one', async () => {
    await page.evaluate(() => (location.hash = '#/settings'));
    const row = (name: string) => page.locator(`[data-testid=backbone-row][data-name="${name}"]`);
    await row('vgg16').waitFor();
    for (const n of ['vgg16', 'vgg19', 'mobilenetv1-1.0', 'mobilenetv2-0.35'])
      expect(await row(n).getAttribute('data-state')).toBe('missing');
    expect(await row('vgg16').getByTestId('backbone-status').innerText()).toContain(
      'not on this device',
    );
    expect(await row('mobilenetv2-0.35').getByTestId('backbone-status').innerText()).toMatch(
      /^ships with the site \(\d+(\.\d+)? (KB|MB), loaded on first use\)$/,
    );

    const bytes = await writeVgg16H5(h5wasm as never, 11);
    // A temporary folder for the 59 MB file (removed below), keeping the working tree small.
    const scratch = mkdtempSync(join(tmpdir(), 'marquee-h5-'));
    const good = join(scratch, H5_NAME);
    writeFileSync(good, bytes);
    // The .h5 reader (h5wasm, 4.8 MB) is kept on first use, not precached: offline before
    // that, the drop is refused in plain words and nothing is stored.
    await row('vgg16').getByTestId('backbone-file').setInputFiles(good);
    const message = page.getByTestId('backbone-message');
    await expect
      .poll(async () => (await message.getAttribute('role')) === 'alert', { timeout: 60_000 })
      .toBe(true);
    expect(await message.innerText()).toMatch(
      /^The reader for Keras \.h5 files \(h5wasm, about 4\.8 MB\) is not on this device yet .*Connect once and try again, or give the weights as a tfjs folder .*Nothing was changed\.$/,
    );
    expect(await row('vgg16').getAttribute('data-state')).toBe('missing');
    expect(await modelCache(page)).toEqual([]);

    // Back online: the reader loads, the file is checked and stored.
    await context.setOffline(false);
    await row('vgg16').getByTestId('backbone-file').setInputFiles(good);
    await expect
      .poll(async () => row('vgg16').getAttribute('data-state'), { timeout: 120_000 })
      .toBe('file');
    expect(await message.innerText()).toBe('Stored 1 file for vgg16: 14.71 M weights checked.');
    expect(await row('vgg16').getByTestId('backbone-status').innerText()).toBe(
      `from your file ${H5_NAME}`,
    );

    const truncated = join(scratch, 'vgg16-truncated.h5');
    writeFileSync(truncated, bytes.subarray(0, 1_000_000));
    await row('vgg16').getByTestId('backbone-file').setInputFiles(truncated);
    await expect
      .poll(async () => (await message.getAttribute('role')) === 'alert', { timeout: 60_000 })
      .toBe(true);
    expect(await message.innerText()).toMatch(
      /^vgg16-truncated\.h5 cannot be read as a Keras weights file .*truncated.*Nothing was changed\.$/,
    );
    expect(await row('vgg16').getAttribute('data-state')).toBe('file');
    const stored = await page.evaluate(async (url) => {
      const r = await (await caches.open('marquee-models')).match(url);
      return r ? (await r.arrayBuffer()).byteLength : 0;
    }, `https://storage.googleapis.com/tensorflow/keras-applications/vgg16/${H5_NAME}`);
    expect(stored).toBe(bytes.byteLength);
    rmSync(scratch, { recursive: true, force: true });
    await page.screenshot({ path: join(SHOTS, 'backbones-settings.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
