import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { loadCatalogue } from '../fake-servers/catalogue.ts';
import { FAKE_KEYS, startFakeServer, type FakeServer } from '../fake-servers/server.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic } from './serve.ts';
import { openDetails } from './details.ts';

const SHOTS = resolve('test/e2e/screenshots');
const CATALOGUE = loadCatalogue({ limit: 80, withPostersFirst: true });
let browser: Browser;
let app: { url: string; close(): Promise<void> };
let fake: FakeServer;
let page: Page;

const counts = async (p: Page) =>
  (await p.getByTestId('library-counts').innerText()).replace(/,/g, '');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fake = await startFakeServer({ movies: CATALOGUE, enforceRatePerSec: 20 });
  app = await serveStatic(await ensureBuilt(), { isolationHeaders: true });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  // Headless Chromium has showSaveFilePicker but no dialog to answer it: export falls back to a
  // download without it (project-transfer.e2e.ts covers the picker path).
  await page.addInitScript(
    () => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker,
  );
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fake?.close();
});

describe('Crawl journey: keys in Settings, crawl in the Library, pause, reload, resume', () => {
  it('points the app at the fake API, rejects a bad key and accepts a good one', async () => {
    await page.goto(`${app.url}/#/settings`);
    const card = page.getByTestId('api-keys');
    await openDetails(card.getByText('Advanced: rate limit and API hosts'));
    await page.getByTestId('net-rate').fill('20');
    await page.getByTestId('net-tmdb').fill(fake.tmdbBase);
    await page.getByTestId('net-omdb').fill(fake.omdbBase);
    await page.getByTestId('save-net').click();
    await card.getByText('Saved.').waitFor();
    await page.getByTestId('tmdb-key').fill('not-a-valid-key');
    await page.getByTestId('save-keys').click();
    await expect
      .poll(() => page.getByTestId('key-check').innerText())
      .toMatch(/TMDb refused the key/);
    await page.getByTestId('tmdb-key').fill(FAKE_KEYS.apiKey);
    await page.getByTestId('save-keys').click();
    await expect.poll(() => page.getByTestId('key-check').innerText()).toMatch(/TMDb: key works/);
    expect(await page.getByTestId('tmdb-key').inputValue()).toBe('');
  });

  it('crawls 30 popular movies with posters into the library', async () => {
    await page.goto(`${app.url}/#/library`);
    await openDetails(page.getByTestId('crawl-panel').locator('summary'));
    await page.getByTestId('crawl-max').fill('30');
    await page.getByTestId('crawl-start').click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('crawl-status')
            .innerText()
            .catch(() => ''),
        { timeout: 60_000 },
      )
      .toMatch(/done · 30 movies stored · 0 skipped · 30 posters/);
    // The Library's counts come from its view worker once it has read the new revision.
    await expect.poll(() => counts(page), { timeout: 10_000 }).toMatch(/30 movies · 30 posters/);
    expect(await page.getByTestId('crawl-log').innerText()).toMatch(/Done: 30 movies/);
    await page.screenshot({ path: join(SHOTS, 'library-crawl.png') });
  });

  it('pauses a crawl, survives a reload, and resumes to the end without duplicates', async () => {
    fake.addFault({ match: /^\/3\/movie\/\d+$/, kind: 'html', times: 1 });
    await page.getByTestId('crawl-source').selectOption('top_rated');
    await page.getByTestId('crawl-max').fill('70');
    await page.getByTestId('crawl-start').click();
    const bar = page.getByRole('group', { name: 'Crawling' });
    await expect
      .poll(
        async () => Number(/(\d+) \/ 70/.exec(await bar.innerText().catch(() => ''))?.[1] ?? 0),
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(15);
    await bar.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('crawl-status').innerText()).toMatch(/paused/);
    await page.reload();
    await openDetails(page.getByTestId('crawl-panel').locator('summary'));
    await page.getByTestId('crawl-resume').click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('crawl-status')
            .innerText()
            .catch(() => ''),
        { timeout: 90_000 },
      )
      .toMatch(/done · 69 movies stored · 1 skipped/);
    expect(await page.getByTestId('crawl-log').innerText()).toMatch(/HTML page instead of JSON/);
    const details = fake.log
      .filter((r) => /^\/3\/movie\/\d+$/.test(r.path) && r.status === 200)
      .map((r) => r.path);
    // 30 + 70 detail requests minus movies already stored by the first crawl; a request in flight at the pause may repeat.
    const unique = new Set(details).size;
    expect(details.length - unique).toBeLessThanOrEqual(4);
    const union = new Set(
      [...CATALOGUE]
        .sort((a, b) => b.popularity - a.popularity || a.id - b.id)
        .slice(0, 30)
        .map((m) => m.id),
    );
    const top = [...CATALOGUE]
      .sort((a, b) => b.vote_average - a.vote_average || a.id - b.id)
      .slice(0, 70);
    for (const m of top) union.add(m.id);
    expect(await counts(page)).toMatch(new RegExp(`^${union.size - 1} movies`));
    expect(fake.log.filter((r) => r.status === 429)).toHaveLength(0);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(20);
  });

  it('exports the paper CSV and a project zip without keys, and imports the zip back', async () => {
    const movies = Number(/^(\d+) movies/.exec(await counts(page))?.[1]);
    const [csvDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    const csv = readFileSync((await csvDl.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'genre_ids,title,poster_path,tmdb_id,popularity,keywords,vote_count,vote_average,director,imdb_votes,certificate,num_stunts,num_fx,year,month',
    );
    expect(csv.length).toBe(movies + 1);
    const [zipDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-bundle').click(),
    ]);
    const zipPath = (await zipDl.path())!;
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    expect(JSON.parse(strFromU8(files['movies.json']!))).toHaveLength(movies);
    expect(Object.values(files).some((f) => strFromU8(f, true).includes(FAKE_KEYS.apiKey))).toBe(
      false,
    );
    await page.getByTestId('import-bundle').setInputFiles(zipPath);
    await expect
      .poll(
        () =>
          page
            .getByTestId('transfer-message')
            .innerText()
            .catch(() => ''),
        { timeout: 20_000 },
      )
      .toMatch(new RegExp(`Imported ${movies} movies`));
    expect(await counts(page)).toMatch(new RegExp(`^${movies} movies`));
  });
});
