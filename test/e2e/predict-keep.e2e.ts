/**
 * Predict keeps earlier results until cleared, at a phone and a desktop width: a second drop's
 * cards come in front of the first drop's (both shown, newest first); a card of the earlier drop
 * still computes its saliency map when asked; "Clear results" (keyboard) removes them all and is
 * disabled with nothing to clear; with a small cap (localStorage `marquee.predict.keep`) the
 * oldest results are let go, their object URLs freed, and the panel says so. No panel scrolls
 * sideways; axe finds no serious or critical issue with results and the notice shown. Posters:
 * the repo's small fixtures (no shared data needed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { join, resolve } from 'node:path';
import { SHOTS, startApp, type AppSession } from './app.ts';

const FIXTURES = resolve('src/test/fixtures');
const A = ['poster-40x60.png', 'poster-40x60-lossy.webp'];
const B = ['poster-40x60-lossless.webp', 'poster-40x60-alpha.webp'];
const paths = (names: string[]) => names.map((n) => join(FIXTURES, n));

/** The result cards in page order: file and drop number. */
const cards = (p: Page) =>
  p.getByTestId('predict-result').evaluateAll((els) =>
    els.map((e) => ({
      file: e.getAttribute('data-file')!,
      drop: Number(e.getAttribute('data-drop')),
    })),
  );

/** Picks files and waits until `total` cards are shown and the drop has finished. */
async function drop(p: Page, names: string[], total: number) {
  await p.getByTestId('predict-file').setInputFiles(paths(names));
  await expect.poll(() => p.getByTestId('predict-result').count(), { timeout: 60_000 }).toBe(total);
  await p.getByTestId('predict-progress').waitFor({ state: 'detached', timeout: 60_000 });
}

const noSideways = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

for (const width of [400, 1280]) {
  describe(`Predict keeps earlier results until cleared, at ${width} px`, () => {
    let app: AppSession;
    let page: Page;

    beforeAll(async () => {
      app = await startApp({ viewport: { width, height: 900 } });
      page = app.page;
      await page.goto(`${app.server.url}/#/predict`);
      await page.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 120_000 });
    });

    afterAll(() => app?.close());

    it('shows two drops newest first; an older card still explains itself', async () => {
      const clear = page.getByTestId('predict-clear');
      expect(await clear.isDisabled()).toBe(true);
      expect(await page.getByTestId('predict-kept').innerText()).toMatch(/^No results/);

      await page.getByTestId('predict-explain').setChecked(false); // drop A: no maps yet
      await drop(page, A, 2);
      await page.getByTestId('predict-explain').setChecked(true); // drop B: maps with the drop
      await drop(page, B, 4);

      const shown = await cards(page);
      expect(shown.map((c) => c.file)).toEqual([...B, ...A]);
      expect(shown[0]!.drop).toBe(shown[1]!.drop);
      expect(shown[2]!.drop).toBe(shown[3]!.drop);
      expect(shown[0]!.drop).toBeGreaterThan(shown[2]!.drop);
      expect(await page.getByTestId('predict-kept').innerText()).toBe(
        '4 results from 2 drops, newest first, kept until you clear them',
      );
      expect(await clear.isEnabled()).toBe(true);
      await page.getByTestId('predict-kept').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `predict-keep-newest-first-${width}.png`) });

      // Drop B's cards came with their maps; drop A's card draws one when a toggle is pressed.
      const newest = page.getByTestId('predict-result').first();
      await newest.locator('canvas[data-drawn]').waitFor({ timeout: 30_000 });
      const older = page.locator(`[data-testid=predict-result][data-file="${A[0]}"]`);
      expect(await older.locator('canvas').count()).toBe(0);
      const drawnBefore = await newest.locator('canvas').getAttribute('data-drawn');
      await older.locator('[data-testid=saliency-toggle][data-label="Fantasy"]').click();
      await older.locator('canvas[data-drawn="Fantasy"]').waitFor({ timeout: 60_000 });
      // …on that card only: the other cards keep what they showed.
      expect(await newest.locator('canvas').getAttribute('data-drawn')).toBe(drawnBefore);
      const second = page.locator(`[data-testid=predict-result][data-file="${A[1]}"]`);
      expect(await second.locator('canvas').count()).toBe(0);
      expect(await noSideways(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `predict-keep-two-drops-${width}.png`) });
    });

    it('clears every result with the keyboard, then has nothing to clear', async () => {
      const clear = page.getByTestId('predict-clear');
      await clear.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('predict-result').count()).toBe(0);
      expect(await clear.isDisabled()).toBe(true);
      // Focus moves to the drop zone rather than being lost with the disabled button.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'predict-drop',
      );
      expect(await page.getByTestId('predict-kept').innerText()).toMatch(/^No results/);
    });

    it('with a cap of 3, lets the oldest result go, frees its poster and says so', async () => {
      await page.evaluate(() => localStorage.setItem('marquee.predict.keep', '3'));
      await page.reload();
      await page.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 120_000 });
      await page.getByTestId('predict-explain').setChecked(false); // plain <img> posters
      await drop(page, A, 2);
      const oldest = page.locator(`[data-testid=predict-result][data-file="${A[1]}"] img`);
      const url = (await oldest.getAttribute('src'))!;
      expect(url).toMatch(/^blob:/);
      const readable = (u: string) =>
        page.evaluate(
          (x) =>
            fetch(x).then(
              (r) => r.ok,
              () => false,
            ),
          u,
        );
      expect(await readable(url)).toBe(true);
      expect(await page.getByTestId('predict-trimmed').count()).toBe(0);

      await drop(page, B, 3);
      expect((await cards(page)).map((c) => c.file)).toEqual([...B, A[0]]);
      expect(await page.getByTestId('predict-trimmed').innerText()).toBe(
        'Only the newest 3 results are kept: 1 older result was let go to keep memory bounded (Export CSV keeps a record of what is shown).',
      );
      expect(await readable(url)).toBe(false); // its object URL was revoked
      expect(await noSideways(page)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `predict-keep-capped-${width}.png`) });
      const axe = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);

      await page.getByTestId('predict-clear').click();
      await expect.poll(() => page.getByTestId('predict-result').count()).toBe(0);
      expect(await page.getByTestId('predict-trimmed').count()).toBe(0);
      await page.evaluate(() => {
        localStorage.removeItem('marquee.predict.keep');
        localStorage.removeItem('marquee.predict.explain');
      });
    });
  });
}
