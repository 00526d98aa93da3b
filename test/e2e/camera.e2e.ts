/**
 * Camera input in the built app (Chromium's fake camera, test/chromium.ts: a moving test pattern,
 * no permission prompt): Predict takes a photo and answers for it; Style takes one as the content
 * image. A second photo's card comes in front of the first. At a narrow and a wide viewport, with
 * screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SHOTS, startApp, type AppSession } from './app.ts';

for (const width of [400, 1280]) {
  describe(`camera input at ${width} px`, () => {
    let app: AppSession;

    beforeAll(async () => {
      app = await startApp({ isolationHeaders: true, viewport: { width, height: 900 } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('Predict answers for a camera photo', async () => {
      const { page } = app;
      await page.goto(`${app.server.url}/#/predict`);
      const open = page.getByTestId('predict-camera-open');
      await expect.poll(() => open.isEnabled(), { timeout: 120_000 }).toBe(true);
      await open.click();
      await page.getByLabel('Camera preview for Predict').waitFor();
      // Take photo is enabled once the preview has a frame (a slow machine's camera starts black).
      await page.getByTestId('predict-camera-take').click({ timeout: 30_000 });
      const card = page.locator('[data-testid=predict-result][data-file^="camera-"]');
      await card.waitFor({ timeout: 60_000 });
      const p = JSON.parse((await card.getAttribute('data-probabilities'))!) as number[];
      expect(p).toHaveLength(7);
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
      // The camera is closed once the photo is taken.
      expect(await page.getByLabel('Camera preview for Predict').count()).toBe(0);
      // A second photo comes in front of the first, which is kept.
      await open.click();
      await page.getByTestId('predict-camera-take').click({ timeout: 30_000 });
      const photos = page.locator('[data-testid=predict-result][data-file^="camera-"]');
      await expect.poll(() => photos.count(), { timeout: 60_000 }).toBe(2);
      const drops = await photos.evaluateAll((els) => els.map((e) => Number(e.dataset.drop)));
      expect(drops[0]).toBeGreaterThan(drops[1]!);
      await page.screenshot({ path: join(SHOTS, `camera-predict-${width}.png`) });
    });

    it('Style takes a camera photo as the content image', async () => {
      const { page } = app;
      await page.goto(`${app.server.url}/#/style`);
      await page.getByTestId('content-camera-open').click();
      await page.getByLabel('Camera preview for the content image').waitFor();
      await page.getByTestId('content-camera-take').click({ timeout: 30_000 });
      await page.getByTestId('content-chosen').waitFor({ timeout: 30_000 });
      await page.getByRole('img', { name: /: camera-[\d-]+\.jpg$/ }).waitFor();
      await page.screenshot({ path: join(SHOTS, `camera-style-${width}.png`) });
    });
  });
}
