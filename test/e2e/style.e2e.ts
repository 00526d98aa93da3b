import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';
import { madePoster } from '../../src/test/posters.ts';
import { missingShared, SHARED } from './app.ts';

/** Two posters we make, named by TMDb id as cs109b's; the VGG19 weights come from ../shared. */
const POSTERS = [
  { name: '10003.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(madePoster(3, 92, 138)) },
  { name: '10009.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(madePoster(9, 92, 138)) },
];
const noWeights = missingShared(
  import.meta.url,
  'the paper-method journey and its cancel (VGG19 blocks 1–3 are not shipped with the site)',
  'models/vgg19-imagenet-to-block3_conv4/model.json',
);
const SHOTS = resolve('test/e2e/screenshots');

let browser: Browser;
let server: StaticServer;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const dist = await ensureBuilt();
  // ../shared is mounted like the dev server does, so the app finds the VGG19 weights at /__shared/.
  server = await serveStatic(dist, { isolationHeaders: true, mounts: { '/__shared/': SHARED } });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  page = await (
    await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })
  ).newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const previewPixels = (p: Page) =>
  p
    .getByTestId('style-preview-canvas')
    .evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));

describe.skipIf(noWeights)(
  'Style journey: posters from the library, run, preview, download, gallery',
  () => {
    it('imports two posters through the Library file picker', async () => {
      await page.goto(`${server.url}/#/library`);
      await page.getByTestId('pick-files').setInputFiles(POSTERS);
      await page
        .getByTestId('import-summary')
        .getByText(/Posters/)
        .waitFor({ timeout: 60_000 });
    });

    it('loads the backbone and takes content and style from the library', async () => {
      await page.goto(`${server.url}/#/style`);
      await page.getByRole('radio', { name: 'Paper method (optimise)' }).check();
      // The built site offers Keras' VGG19 download; the test points it at the ../shared copy instead.
      await page.getByTestId('weights-offer').waitFor({ timeout: 30_000 });
      await page
        .getByLabel('Backbone weights URL')
        .fill(`${server.url}/__shared/models/vgg19-imagenet-to-block3_conv4/model.json`);
      await page.getByRole('button', { name: 'Load weights' }).click();
      await page.getByTestId('backbone-ready').waitFor({ timeout: 120_000 });
      expect(await page.getByLabel('Preset').inputValue()).toBe('vgg19-block3');
      await page.getByLabel('Search posters for the content image').fill('10003');
      await page.getByRole('button', { name: 'Use tmdb:10003 as content' }).click();
      await page.getByLabel('Search posters for the style image').fill('10009');
      await page.getByRole('button', { name: 'Use tmdb:10009 as style' }).click();
      await page.getByTestId('content-chosen').waitFor();
      await page.getByTestId('style-chosen').waitFor();
    });

    it('runs 2 iterations at 64×64 with a preview that changes between iterations', async () => {
      await page.getByLabel('Output size').fill('64');
      await page.getByLabel('Iterations').fill('2');
      await page.getByLabel('Evaluations per iteration').fill('10');
      await page.getByRole('button', { name: 'Run style transfer' }).click();
      await page
        .locator('[data-testid=style-preview][data-iteration="1"]')
        .waitFor({ timeout: 180_000 });
      const first = await previewPixels(page);
      await page
        .locator('[data-testid=style-preview][data-iteration="2"]')
        .waitFor({ timeout: 180_000 });
      const second = await previewPixels(page);
      expect(second).not.toBe(first);
      await page.getByRole('link', { name: 'Download PNG' }).first().waitFor({ timeout: 60_000 });
      const rows = await page.getByTestId('style-iterations').locator('tbody tr').count();
      expect(rows).toBe(2);
      // The default starts from the instant result, coarse to fine: 32×32, then 64×64; both outputs
      // are then scored by the paper's losses side by side.
      expect(
        await page
          .getByTestId('style-iterations')
          .locator('tbody tr td:nth-child(2)')
          .allInnerTexts(),
      ).toEqual(['32×32', '64×64']);
      expect(await page.getByTestId('method-losses').locator('tbody tr').count()).toBe(2);
      expect(await page.getByTestId('loss-chart').locator('polyline').count()).toBe(4);
    });

    it('downloads the result as a 64×64 PNG and keeps it in the gallery', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download PNG' }).first().click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.png$/);
      const bytes = readFileSync(await download.path());
      // PNG signature, then the IHDR chunk: width and height big-endian at bytes 16 and 20.
      expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([64, 64]);
      expect(await page.getByTestId('gallery-item').count()).toBeGreaterThanOrEqual(1);
      // Tall enough for the whole panel, so the sticky header and status bar do not overlap a full-page stitch.
      await page.setViewportSize({ width: 1400, height: 1850 });
      await page.screenshot({ path: join(SHOTS, 'style.png') });
      await page.setViewportSize({ width: 1400, height: 1000 });
      await page.reload();
      await page.getByTestId('gallery-item').first().waitFor({ timeout: 30_000 });
    });
  },
);

describe.skipIf(noWeights)('Style: cancel', () => {
  it('cancels a long run from the progress bar and can run again', async () => {
    // The reload above cleared the chosen inputs, method and weights (the gallery stayed).
    await page.getByRole('radio', { name: 'Paper method (optimise)' }).check();
    await page
      .getByLabel('Backbone weights URL')
      .fill(`${server.url}/__shared/models/vgg19-imagenet-to-block3_conv4/model.json`);
    await page.getByRole('button', { name: 'Load weights' }).click();
    await page.getByTestId('backbone-ready').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Use tmdb:10003 as content' }).click();
    await page.getByRole('button', { name: 'Use tmdb:10009 as style' }).click();
    await page.getByTestId('style-chosen').waitFor();
    await page.getByLabel('Output size').fill('64');
    await page.getByLabel('Iterations').fill('50');
    // From noise with the paper's one-size schedule: 50 × 20 evaluations is not warned about, 50 × 1 is.
    await page.getByLabel('Start from').selectOption('noise');
    await page.getByLabel('coarse to fine (half size first)').uncheck();
    expect(await page.getByTestId('schedule-warning').count()).toBe(0);
    await page.getByLabel('Evaluations per iteration').fill('1');
    expect(await page.getByTestId('schedule-warning').innerText()).toMatch(
      /will still look like noise/,
    );
    await page.getByLabel('Evaluations per iteration').fill('20');
    await page.getByRole('button', { name: 'Run style transfer' }).click();
    await page
      .locator('[data-testid=style-preview][data-iteration="1"]')
      .waitFor({ timeout: 180_000 });
    await page
      .getByRole('group', { name: 'Style transfer' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    await page.getByText('Cancelled.').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Run style transfer' }).isEnabled()).toBe(true);
    // Fewer than 50 iterations ran: the preview stopped where the cancel landed.
    expect(await page.getByTestId('style-iterations').locator('tbody tr').count()).toBeLessThan(50);
  });
});

describe('Style without weights', () => {
  it('says what the paper method would download and how big, and fetches nothing until asked', async () => {
    const bare = await serveStatic(await ensureBuilt(), { isolationHeaders: true });
    try {
      const p = await browser.newPage();
      const offsite: string[] = [];
      p.on(
        'request',
        (r) => void (new URL(r.url()).host !== new URL(bare.url).host && offsite.push(r.url())),
      );
      await p.goto(`${bare.url}/#/style`);
      await p.getByRole('radio', { name: 'Paper method (optimise)' }).check();
      const offer = p.getByTestId('weights-offer');
      await offer.waitFor({ timeout: 60_000 });
      expect(await offer.innerText()).toMatch(/VGG19.*80\.1 MB.*storage\.googleapis\.com/s);
      expect(
        await p.getByRole('button', { name: 'Download VGG19 weights (80.1 MB)' }).count(),
      ).toBe(1);
      expect(offsite).toEqual([]);
      // Pressed with no internet: the model store's plain message, and a Retry.
      await p.getByRole('button', { name: 'Download VGG19 weights (80.1 MB)' }).click();
      const alert = p.getByTestId('backbone-error');
      await alert.waitFor({ timeout: 120_000 });
      expect(await alert.innerText()).toMatch(/VGG19 weights are not on this device yet/);
      expect(await p.getByRole('button', { name: 'Retry' }).count()).toBe(1);
      await p.close();
    } finally {
      await bare.close();
    }
  });
});
