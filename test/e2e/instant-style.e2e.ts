import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { madePoster } from '../../src/test/posters.ts';
import { SHOTS, startApp, type AppSession } from './app.ts';

/**
 * Instant style on the built site served by a plain static host: no isolation headers, no
 * /__shared/ mount, no internet. Two posters we make (named by TMDb id, as cs109b's) are imported
 * through the Library's file picker, as a user's files; the networks and runtime come from the site.
 */
const POSTERS = [
  { name: '10003.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(madePoster(3, 92, 138)) },
  { name: '10009.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(madePoster(9, 92, 138)) },
];

let app: AppSession;
let page: Page;
const sharedRequests: string[] = [];

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const canvasPixels = (p: Page) =>
  p.getByTestId('instant-canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));

/** Waits until the service worker controls the page (the app reloads once to be isolated). */
async function waitControlled(p: Page): Promise<void> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const ok = await p
      .evaluate(() => navigator.serviceWorker.controller !== null && crossOriginIsolated)
      .catch(() => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error('the service worker never took control');
}

async function pickPosters(p: Page): Promise<void> {
  await p.getByLabel('Search posters for the content image').fill('10003');
  await p.getByRole('button', { name: 'Use tmdb:10003 as content' }).click();
  await p.getByLabel('Search posters for the style image').fill('10009');
  await p.getByRole('button', { name: 'Use tmdb:10009 as style' }).click();
}

beforeAll(async () => {
  app = await startApp({ isolationHeaders: false, viewport: { width: 1280, height: 800 } });
  page = app.page;
  page.context().on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/__shared/')) sharedRequests.push(r.url());
  });
});

afterAll(async () => {
  await app?.close();
});

describe('Instant style on a plain static host', () => {
  it('imports two posters through the Library', async () => {
    await page.goto(`${app.server.url}/#/library`);
    await waitControlled(page);
    await page.getByTestId('pick-files').setInputFiles(POSTERS);
    await page
      .getByTestId('import-summary')
      .getByText(/Posters/)
      .waitFor({ timeout: 60_000 });
  });

  it('opens on Instant and shows a result as soon as two posters are picked', async () => {
    await page.goto(`${app.server.url}/#/style`);
    expect(await page.getByRole('radio', { name: 'Instant' }).isChecked()).toBe(true);
    const t0 = Date.now();
    await pickPosters(page);
    await page.getByTestId('instant-result').waitFor({ timeout: 60_000 });
    console.info(
      `instant e2e: first result ${Date.now() - t0} ms after picking (cold: runtime + models)`,
    );
    expect(await page.getByTestId('instant-timing').innerText()).toMatch(/ms in the worker/);
    const size = await page
      .getByTestId('instant-canvas')
      .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect(size).toEqual([256, 384]);
  });

  it('re-renders while the strength slider moves, with no Run button', async () => {
    const before = await canvasPixels(page);
    expect(await page.getByRole('button', { name: /Run/ }).count()).toBe(0);
    await page.getByLabel('Style strength').fill('20');
    await page
      .locator('[data-testid=instant-result][data-strength="0.2"]')
      .waitFor({ timeout: 30_000 });
    expect(await canvasPixels(page)).not.toBe(before);
    await page.screenshot({ path: join(SHOTS, 'instant-style-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.getByTestId('instant-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'instant-style-400.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says what the paper method would download, and downloads nothing by itself', async () => {
    await page.getByRole('radio', { name: 'Paper method (optimise)' }).check();
    const offer = page.getByTestId('weights-offer');
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.innerText()).toMatch(/VGG19.*80\.1 MB.*storage\.googleapis\.com/s);
    await page.screenshot({ path: join(SHOTS, 'style-paper-offer-1280.png') });
    await page.getByRole('radio', { name: 'Instant' }).check();
  });

  it('never requests /__shared/, and works again offline after a reload', async () => {
    expect(sharedRequests).toEqual([]);
    await page.context().setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { name: 'Style', level: 1 }).waitFor({ timeout: 30_000 });
      await pickPosters(page);
      await page.getByTestId('instant-result').waitFor({ timeout: 60_000 });
      await page.getByLabel('Style strength').fill('90');
      await page
        .locator('[data-testid=instant-result][data-strength="0.9"]')
        .waitFor({ timeout: 30_000 });
    } finally {
      await page.context().setOffline(false);
    }
    expect(sharedRequests).toEqual([]);
  });
});
