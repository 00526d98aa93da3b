import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const CS109B = join(SHARED, 'data/tmdb-cs109b');
const noData = missingShared(
  import.meta.url,
  'the import, browse, reload, bad-file and detail steps on the CS109b crawl (its counts are checked)',
  'data/tmdb-cs109b/movies.csv',
  'data/tmdb-cs109b/posters',
);

let app: AppSession;
let server: AppSession['server'];
let page: Page;

const counts = async (p: Page) =>
  (await p.getByTestId('library-counts').innerText()).replace(/,/g, '');

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1400, height: 900 } });
  ({ server, page } = app);
});

afterAll(() => app?.close());

describe('Library journey: import, browse, reload', () => {
  it.skipIf(noData)('imports the CS109b movies CSV and lists its unique movies', async () => {
    await page.goto(`${server.url}/#/library`);
    await page.getByTestId('pick-files').setInputFiles(join(CS109B, 'movies.csv'));
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    const summary = await page.getByTestId('import-summary').innerText();
    expect(summary).toMatch(/7,220 rows → 4,411 movies/);
    expect(await counts(page)).toMatch(/4411 movies/);
  });

  it.skipIf(noData)('imports the posters folder and shows thumbnails', async () => {
    const files = readdirSync(join(CS109B, 'posters')).map((f) => join(CS109B, 'posters', f));
    await page.getByTestId('pick-files').setInputFiles(files);
    await page
      .getByTestId('import-summary')
      .getByText(/Posters/)
      .waitFor({ timeout: 240_000 });
    const summary = await page.getByTestId('import-summary').innerText();
    const added = Number(/Posters: ([\d,]+) added/.exec(summary)?.[1]?.replace(/,/g, ''));
    expect(added).toBe(files.length);
    expect(await counts(page)).toMatch(new RegExp(`${files.length} posters`));
    await page.getByLabel('with poster only').check();
    const img = page.locator('.viewport img').first();
    await img.waitFor();
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(
      true,
    );
    await page.screenshot({ path: join(SHOTS, 'library-imported.png') });
  });

  it.skipIf(noData)(
    'keeps everything after a reload, and re-importing changes nothing',
    async () => {
      await page.reload();
      await page
        .getByText(/4,411 movies · /)
        .first()
        .waitFor();
      expect(await counts(page)).toMatch(/4411 movies · 2591 posters/);
      await page.getByTestId('pick-files').setInputFiles(join(CS109B, 'movies.csv'));
      await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('import-summary').innerText()).toMatch(
        /0 new, 0 updated, 4,411 unchanged/,
      );
    },
  );

  it.skipIf(noData)('rejects bad files with reasons and still imports the good ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-bad-'));
    const good = readdirSync(join(CS109B, 'posters'))[0]!;
    const jpeg = readFileSync(join(CS109B, 'posters', good));
    writeFileSync(join(dir, '11.jpg'), 'this is not an image');
    writeFileSync(join(dir, '12.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    writeFileSync(join(dir, '13.jpg'), '');
    writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4 fake');
    writeFileSync(join(dir, good), jpeg);
    await page.getByTestId('pick-files').setInputFiles(readdirSync(dir).map((f) => join(dir, f)));
    await page.getByTestId('rejections').waitFor({ timeout: 60_000 });
    const text = await page.getByTestId('rejections').innerText();
    expect(text).toContain('11.jpg');
    expect(text).toContain('12.jpg');
    expect(text).toContain('13.jpg');
    expect(text).toContain('notes.pdf');
    expect(await page.getByTestId('import-summary').innerText()).toMatch(/1 already there/);
    expect(await counts(page)).toMatch(/4411 movies · 2591 posters/);
    await page.screenshot({ path: join(SHOTS, 'library-rejections.png'), fullPage: true });
  });

  it.skipIf(noData)('opens a movie detail from the table with the keyboard', async () => {
    await page.getByLabel('Search movies').fill('Arrival');
    const row = page.locator('.viewport [role=row]').first();
    await row.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Arrival/ }).waitFor();
    expect(page.url()).toMatch(/#\/library\/movie\/tmdb%3A329865$/);
    expect(await page.getByText('Denis Villeneuve').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'movie-detail.png') });
  });

  it('moves between panels with arrow keys, Home/End and Alt+digit, focus following', async () => {
    await page.goto(`${server.url}/#/library`);
    const tab = (name: string) => page.getByRole('tab', { name, exact: true });
    const selected = async () =>
      page.getByRole('tab', { selected: true }).innerText({ timeout: 5_000 });
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
    await tab('Library').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/#\/explore$/);
    await expect.poll(selected).toBe('Explore');
    await expect.poll(focusedId).toBe('tab-explore'); // focus moves with the selection
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft'); // wraps from the first tab to the last
    await page.waitForURL(/#\/settings$/);
    await expect.poll(focusedId).toBe('tab-settings');
    await page.keyboard.press('Home');
    await page.waitForURL(/#\/library$/);
    await page.keyboard.press('End');
    await page.waitForURL(/#\/settings$/);
    await page.keyboard.press('Alt+3');
    await page.waitForURL(/#\/train$/);
    await expect.poll(selected).toBe('Train');
    await expect.poll(focusedId).toBe('panel'); // Alt+digit puts focus into the panel, not the body
    await page.keyboard.press('Alt+1');
    await page.waitForURL(/#\/library$/);
    // The Library panel itself, not a placeholder: its table, or (empty, on a clone without the
    // shared data) its file picker.
    await (noData ? page.getByTestId('pick-files') : page.getByLabel('Search movies')).waitFor({
      state: 'attached',
    });
  });
});
