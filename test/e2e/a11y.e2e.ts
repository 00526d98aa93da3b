/**
 * Accessibility of every panel with data in it: axe-core (WCAG 2.1 A and AA rules, colour contrast
 * included) finds no serious or critical violation; Alt+digit moves focus into the panel; motion
 * is switched off for those who ask their system for less.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { madeMetadataFile, madePosterFile, startApp, type AppSession } from './app.ts';
import { PANELS } from '../../src/lib/state/routes.ts';

let app: AppSession;
let page: Page;
let firstKey = '';

/**
 * A library we make: 200 movies in the TMDb + IMDb 2011–2016 layout (ids 800001…) and posters for
 * the first 4, named by TMDb id; every panel then has content, with no shared data needed.
 */
function smallLibrary(): { csv: string; posters: string[] } {
  const csv = madeMetadataFile(200);
  const posters = [1, 2, 3, 4].map((i) => madePosterFile(`${800000 + i}.jpg`, i));
  return { csv, posters };
}

beforeAll(async () => {
  const lib = smallLibrary();
  app = await startApp({ viewport: { width: 1280, height: 800 } });
  page = app.page;
  await page.goto(`${app.server.url}/#/library`);
  await page.getByTestId('pick-files').setInputFiles([lib.csv, ...lib.posters]);
  await page
    .getByTestId('import-summary')
    .getByText(/Posters/)
    .waitFor({ timeout: 60_000 });
  firstKey = `tmdb:${(/(\d+)\.jpg$/.exec(lib.posters[0]!) ?? [])[1]}`;
  // One finished run, so Compare shows its table, chart and run detail.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Name', { exact: true }).fill('a11y logistic');
  await page.getByLabel('CV folds').fill('2');
  await page.getByLabel('Model kind').selectOption('logistic');
  await page.getByLabel(/^C \(/).fill('1');
  await page.getByRole('button', { name: 'Add to queue' }).click();
  await page
    .getByTestId('recent-runs')
    .getByText(/a11y logistic\s+done/)
    .waitFor({ timeout: 90_000 });
}, 240_000);

afterAll(() => app?.close());

/** What each panel shows once its content is on screen. */
const READY: Record<string, (p: Page) => Promise<unknown>> = {
  library: (p) => p.locator('.viewport [role=row]').first().waitFor(),
  movie: (p) => p.getByRole('heading', { level: 1 }).waitFor(),
  explore: (p) =>
    p.getByRole('img', { name: /Genre correlation heatmap/ }).waitFor({ timeout: 60_000 }),
  train: (p) => p.getByTestId('recent-runs').waitFor(),
  compare: (p) => p.getByTestId('runs-table').first().waitFor(),
  predict: (p) => p.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 60_000 }),
  style: (p) => p.getByRole('heading', { level: 1 }).first().waitFor(),
  settings: (p) => p.getByTestId('backbone-weights').waitFor(),
};

const VIEWS = [...PANELS.map((p) => p.id as string), 'movie'];

describe('axe-core on every panel', () => {
  it.each(VIEWS)(
    '%s has no serious or critical violation',
    async (id) => {
      const hash = id === 'movie' ? `#/library/movie/${encodeURIComponent(firstKey)}` : `#/${id}`;
      await page.evaluate((h) => (location.hash = h), hash);
      await READY[id]!(page);
      await page.waitForTimeout(300); // late layout: images, charts measuring their width
      const { violations } = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      const bad = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help}; e.g. ${v.nodes
              .slice(0, 3)
              .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n').at(-1) ?? ''}`)
              .join(' | ')}`,
        );
      expect(bad, `${id}:\n${bad.join('\n')}`).toEqual([]);
    },
    120_000,
  );
});

describe('the axe check itself', () => {
  it('reports low-contrast text (so the checks above can fail)', async () => {
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'axe-probe';
      p.textContent = 'Error text in the old red';
      p.style.color = '#b03a2e'; // the error colour the issue measured at about 3:1
      document.getElementById('panel')!.prepend(p);
    });
    const { violations } = await new AxeBuilder({ page }).include('#axe-probe').analyze();
    await page.evaluate(() => document.getElementById('axe-probe')?.remove());
    expect(violations.map((v) => v.id)).toContain('color-contrast');
  });
});

describe('keyboard and motion', () => {
  it('moves focus into the panel on Alt+digit', async () => {
    await page.evaluate(() => (location.hash = '#/library'));
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Alt+2');
    await page.waitForURL(/#\/explore$/);
    expect(await page.evaluate(() => !!document.activeElement?.closest('#panel'))).toBe(true);
    // Tab then reaches a control inside the panel, not the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#panel'))).toBe(true);
  });

  it('switches transitions and animations off under prefers-reduced-motion', async () => {
    const probe = () =>
      page.evaluate(() => {
        const el = document.createElement('div');
        el.style.transition = 'opacity 2s';
        el.style.animation = 'none 3s';
        document.getElementById('panel')!.append(el);
        const s = getComputedStyle(el);
        const out = [s.transitionDuration, s.animationDuration];
        el.remove();
        return out;
      });
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await probe()).toEqual(['2s', '3s']);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect((await probe()).map(parseFloat).every((s) => s < 0.001)).toBe(true);
  });
});
