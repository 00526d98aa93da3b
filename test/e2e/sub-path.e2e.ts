/**
 * The site built for a sub-path (MARQUEE_BASE=/marquee/, as GitHub Pages serves a project site
 * under /<repo>/) on a plain static host that serves only that path and sets no isolation
 * headers: the service worker (scoped to /marquee/) makes the page cross-origin isolated, every
 * request stays under /marquee/, Predict answers for a dropped poster with the models the site
 * ships, and a metadata model trains there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/test/posters.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { madeMetadataFile, SHOTS } from './app.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const BASE = '/marquee/';
/** Made-up movies in the TMDb + IMDb 2011–2016 layout: the training step needs no shared data. */
const MOVIES = madeMetadataFile(600);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

let server: StaticServer;
let browser: Browser;
let page: Page;
let site: string;
const dir = mkdtempSync(join(tmpdir(), 'marquee-sub-path-'));
const errors: string[] = [];

beforeAll(async () => {
  server = await serveStatic(await ensureBuilt(BASE), { isolationHeaders: false, prefix: BASE });
  site = `${server.url}${BASE}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (e) => void errors.push(e.message));
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until the page is cross-origin isolated and controlled by its service worker. */
async function settled(): Promise<{ scope: string }> {
  const end = Date.now() + 240_000;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const s = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return {
          isolated: globalThis.crossOriginIsolated,
          controlled: navigator.serviceWorker.controller !== null,
          state: reg?.active?.state ?? null,
          scope: reg?.scope ?? '',
        };
      });
      last = s;
      if (s.isolated && s.controlled && s.state === 'activated') return s;
    } catch (e) {
      last = e; // reloading
    }
    await sleep(250);
  }
  throw new Error(`the page never became isolated and controlled: ${JSON.stringify(last)}`);
}

describe(`the site built for ${BASE} on a plain static host`, () => {
  it('is isolated by its own service worker and predicts a dropped poster, asking nothing outside the sub-path', async () => {
    await page.goto(`${site}#/predict`);
    const { scope } = await settled();
    expect(scope).toBe(site);
    const poster = join(dir, 'poster.jpg');
    writeFileSync(poster, makeJpeg(200, 300, 7));
    await page
      .locator('[data-testid=predict-file]:not([disabled])')
      .waitFor({ state: 'attached', timeout: 120_000 });
    await page.getByTestId('predict-file').setInputFiles(poster);
    const card = page.locator('[data-testid=predict-result][data-file="poster.jpg"]');
    await card.waitFor({ timeout: 120_000 });
    const p = JSON.parse((await card.getAttribute('data-probabilities'))!) as number[];
    expect(p).toHaveLength(7);
    for (const x of p) expect(x > 0 && x < 1).toBe(true);
    // The shipped backbone and head came from under the sub-path…
    expect(server.requests).toContain(`${BASE}models/mobilenetv2-0.35/weights.bin`);
    expect(server.requests).toContain(`${BASE}models/marquee-poster-v1/weights.bin`);
    expect(server.requests).toContain(`${BASE}sw.js`);
    expect(server.requests).toContain(`${BASE}manifest.webmanifest`);
    // …and nothing was asked for at the host's root (an absolute '/models', '/assets', '/sw.js').
    expect(server.requests.filter((r) => !r.startsWith(BASE))).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'sub-path-predict.png') });
  }, 600_000);

  it('trains a small logistic model there', async () => {
    await page.goto(`${site}#/library`);
    await page.getByTestId('pick-files').setInputFiles(MOVIES);
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Name', { exact: true }).fill('sub-path logistic');
    await page.getByLabel('CV folds').fill('2');
    await page.getByLabel('Model kind').selectOption('logistic');
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const recent = page.getByTestId('recent-runs');
    await recent.getByText(/sub-path logistic/).waitFor({ timeout: 240_000 });
    await expect
      .poll(() => recent.innerText(), { timeout: 240_000 })
      .toMatch(/sub-path logistic\s+done in [\d.]+ s · Hamming loss 0\.\d{3}/);
    expect(server.requests.filter((r) => !r.startsWith(BASE))).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'sub-path-train.png'), fullPage: true });
  }, 600_000);
});
