/**
 * "Why this answer" in the built app: with an empty library a drop says plainly that there is
 * nothing to compare with; after importing a handful of tmdb-cs109b movies with their posters,
 * three Kaggle posters dropped on Predict each get a saliency map drawn over the poster (canvas
 * pixels differ from the plain poster), toggled per group with the keyboard, and the 6 nearest
 * library posters with their titles and true genre groups. A second drop reuses the library's
 * stored vectors (none computed again), and the CSV export carries the calibrated probabilities
 * and one decision column per group (the cards' probabilities are the calibrated ones: predict.e2e
 * checks them against `npm run predict`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { parseMoviesCsv } from '../../src/lib/data/csv.ts';
import { PAPER7 } from '../../src/lib/features/groups.ts';
import type { ModelCard } from '../../src/lib/predict/card.ts';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const noData = missingShared(
  import.meta.url,
  'the saliency and nearest-poster journeys (held-out Kaggle posters, a CS109b library)',
  'data/posters-kaggle/posters',
  'data/tmdb-cs109b/movies.csv',
  'data/tmdb-cs109b/posters',
);

const KAGGLE = join(SHARED, 'data/posters-kaggle/posters');
const CS109B = join(SHARED, 'data/tmdb-cs109b');
const card = JSON.parse(
  readFileSync(resolve('public/models/marquee-poster-v1/card.json'), 'utf8'),
) as ModelCard;
/** Three held-out Kaggle posters (the card's check subset, never trained on). */
const IDS = card
  .check!.ids.filter((k) => k.startsWith('imdb:'))
  .slice(3, 6)
  .map((k) => k.slice(5));
const DROPPED = IDS.map((id) => join(KAGGLE, `${id}.jpg`));
/** Library: the first 12 distinct cs109b movies (title, genres), as a CSV, and their posters. */
const LIBRARY_SIZE = 12;

/** `size` distinct cs109b movies after the first `skip`, as a CSV file, and their poster files. */
function librarySubset(skip = 0, size = LIBRARY_SIZE): { csvText: string; files: string[] } {
  const parsed = Papa.parse<string[]>(readFileSync(join(CS109B, 'movies.csv'), 'utf8'), {
    skipEmptyLines: true,
  }).data;
  const head = parsed[0]!;
  const id = head.indexOf('movie_id');
  const seen = new Set<string>();
  const rows = parsed.slice(1).filter((r) => {
    if (seen.has(r[id]!) || seen.size >= skip + size) return false;
    seen.add(r[id]!);
    return seen.size > skip;
  });
  const ids = [...seen].slice(skip);
  const csvText = Papa.unparse([head, ...rows]) + '\n';
  const csv = join(mkdtempSync(join(tmpdir(), 'marquee-explain-')), 'movies.csv');
  writeFileSync(csv, csvText);
  return { csvText, files: [csv, ...ids.map((m) => join(CS109B, 'posters', `${m}.jpg`))] };
}

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  page = app.page;
});

afterAll(() => app?.close());

async function openPredict(p: Page) {
  await p.goto(`${app.server.url}/#/predict`);
  await p.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 120_000 });
}

/** Mean absolute RGB difference between a result's saliency canvas and its plain poster drawn the same size. */
async function canvasVersusPoster(p: Page, file: string, poster: Buffer): Promise<number> {
  const canvas = p.locator(`[data-testid=predict-result][data-file="${file}"] canvas`);
  return canvas.evaluate(async (el, b64) => {
    const c = el as HTMLCanvasElement;
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const plain = document.createElement('canvas');
    [plain.width, plain.height] = [c.width, c.height];
    plain.getContext('2d')!.drawImage(bmp, 0, 0);
    const a = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const b = plain.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < a.length; i += 4)
      sum +=
        Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
    return sum / ((a.length / 4) * 3);
  }, poster.toString('base64'));
}

describe.skipIf(noData)('Predict: why this answer (saliency, posters like this one)', () => {
  it('says plainly that an empty library has no posters to compare with', async () => {
    await openPredict(page);
    await page.getByTestId('predict-file').setInputFiles(DROPPED[0]!);
    const empty = page.getByTestId('neighbours-empty');
    await empty.waitFor({ timeout: 60_000 });
    expect(await empty.innerText()).toMatch(
      /library has no posters yet.*Import posters in\s+Library/s,
    );
  });

  it('draws a saliency map per group and lists the nearest library posters with their true groups', async () => {
    const lib = librarySubset();
    await page.goto(`${app.server.url}/#/library`);
    await page.getByTestId('pick-files').waitFor({ state: 'attached', timeout: 90_000 });
    await page.getByTestId('pick-files').setInputFiles(lib.files);
    await page
      .getByTestId('import-summary')
      .getByText(/Posters/)
      .waitFor({ timeout: 120_000 });

    await openPredict(page);
    await page.getByTestId('predict-file').setInputFiles(DROPPED);
    const results = page.getByTestId('predict-result');
    await results.nth(2).waitFor({ timeout: 60_000 });

    // With Explain on, each card comes with its top group's map drawn over the poster.
    for (const [k, id] of IDS.entries()) {
      const r = page.locator(`[data-testid=predict-result][data-file="${id}.jpg"]`);
      await r.locator('canvas[data-drawn]').waitFor({ timeout: 30_000 });
      const probs = JSON.parse((await r.getAttribute('data-probabilities'))!) as number[];
      const top = card.labels[probs.indexOf(Math.max(...probs))]!;
      expect(await r.locator('[aria-pressed=true]').getAttribute('data-label')).toBe(top);
      expect(await r.locator('canvas').getAttribute('data-drawn')).toBe(top);
      expect(Number(await r.getAttribute('data-saliency-ms'))).toBeGreaterThan(0);
      const diff = await canvasVersusPoster(page, `${id}.jpg`, readFileSync(DROPPED[k]!));
      expect(diff).toBeGreaterThan(3); // the heat overlay changes the pixels…
      expect(diff).toBeLessThan(120); // …without hiding the poster
    }
    expect(Number(await results.first().getAttribute('data-drop-ms'))).toBeGreaterThan(0);

    // Keyboard: focus another group's toggle and press Enter; its map replaces the first.
    const first = results.first();
    const pressedBefore = await first.locator('[aria-pressed=true]').getAttribute('data-label');
    const next = card.labels.find((l) => l !== pressedBefore)!;
    const toggle = first.locator(`[data-testid=saliency-toggle][data-label="${next}"]`);
    await toggle.focus();
    await page.keyboard.press('Enter');
    await first.locator(`canvas[data-drawn="${next}"]`).waitFor();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await first.getByTestId('saliency-legend').innerText()).toContain(next);
    // Space on the pressed toggle turns the map off: the plain poster again.
    await page.keyboard.press('Space');
    await first.locator('img[alt^="poster"]').waitFor();
    expect(await first.locator('canvas').count()).toBe(0);
    expect(await first.getByTestId('saliency-legend').count()).toBe(0);
    await page.keyboard.press('Enter');
    await first.locator(`canvas[data-drawn="${next}"]`).waitFor();

    // Posters like this one: 6 library movies per card, nearest first, with their true groups.
    const { movies } = await parseMoviesCsv(lib.csvText);
    const truth = new Map(
      movies.map((m) => [
        m.key,
        {
          title: m.title,
          groups: PAPER7.filter((g) => g.genreIds.some((x) => m.genreIds.includes(x))).map(
            (g) => g.name,
          ),
        },
      ]),
    );
    await page.getByTestId('neighbours-status').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('neighbours-status').getAttribute('data-computed')).toBe(
      String(LIBRARY_SIZE),
    );
    for (let k = 0; k < 3; k++) {
      const items = results.nth(k).getByTestId('neighbour');
      expect(await items.count()).toBe(6);
      const rows = await items.evaluateAll((els) =>
        els.map((e) => ({
          key: e.getAttribute('data-key')!,
          distance: Number(e.getAttribute('data-distance')),
          text: (e as HTMLElement).innerText,
          groups: e.querySelector('[data-testid=neighbour-groups]')!.textContent!,
        })),
      );
      const d = rows.map((r) => r.distance);
      expect(d).toEqual([...d].sort((a, b) => a - b));
      for (const r of rows) {
        const t = truth.get(r.key)!;
        expect(r.text).toContain(t.title);
        expect(r.groups).toBe(t.groups.length ? t.groups.join(' · ') : 'none of the 7 groups');
      }
    }

    // The drawn canvas at its own size (the poster's), to look at.
    const png = await first
      .locator('canvas')
      .evaluate((c) => (c as HTMLCanvasElement).toDataURL('image/png').split(',')[1]!);
    writeFileSync(join(SHOTS, 'predict-explain-map.png'), Buffer.from(png, 'base64'));
    await page.setViewportSize({ width: 1280, height: 900 });
    await results.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'predict-explain-1280.png') });
    await page.setViewportSize({ width: 400, height: 900 });
    await results.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'predict-explain-400.png') });
    await page.setViewportSize({ width: 1400, height: 1000 });
  });

  it('exports the calibrated probabilities and the decisions as CSV', async () => {
    const shown = await page
      .getByTestId('predict-result')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-file')!,
          JSON.parse(e.getAttribute('data-probabilities')!) as number[],
          [...e.querySelectorAll('g[data-label][data-predicted=true]')].map((g) =>
            g.getAttribute('data-label'),
          ),
        ]),
      );
    const download = page.waitForEvent('download');
    await page.getByTestId('predict-csv').click();
    const path = join(mkdtempSync(join(tmpdir(), 'marquee-explain-csv-')), 'p.csv');
    await (await download).saveAs(path);
    const rows = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(3);
    for (const [file, probs, predicted] of shown as [string, number[], string[]][]) {
      const row = rows.find((r) => r.file === file)!;
      card.labels.forEach((l, i) => {
        expect(Math.abs(Number(row[l]) - probs[i]!)).toBeLessThan(1e-6);
        expect(row[`${l} predicted`]).toBe(predicted.includes(l) ? '1' : '0');
      });
    }
  });

  it('reuses the stored library vectors on the next drop and after a reload', async () => {
    await page.getByTestId('predict-file').setInputFiles(DROPPED[1]!);
    const results = page.getByTestId('predict-result');
    await expect.poll(() => results.count(), { timeout: 60_000 }).toBe(4);
    expect(await results.first().getAttribute('data-file')).toBe(`${IDS[1]}.jpg`);
    await page.getByTestId('neighbours-status').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('neighbours-status').getAttribute('data-computed')).toBe('0');
    // Every card, the earlier drop's three behind the new one, shows its own map and neighbours.
    await results.first().getByTestId('neighbour').nth(5).waitFor({ timeout: 60_000 });
    for (let k = 0; k < 4; k++) {
      expect(await results.nth(k).getByTestId('neighbour').count()).toBe(6);
      expect(await results.nth(k).locator('canvas[data-drawn]').count()).toBe(1);
    }
    await page.goto('about:blank');
    await openPredict(page); // a new page and worker: vectors come from IndexedDB
    await page.getByTestId('predict-file').setInputFiles(DROPPED[2]!);
    await page.getByTestId('neighbours-status').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('neighbours-status').getAttribute('data-computed')).toBe('0');
    expect(await page.getByTestId('neighbour').count()).toBe(6);
  });

  it('indexes a bigger library with progress, stops on Cancel, and carries on at the next drop', async () => {
    const more = librarySubset(LIBRARY_SIZE, 150);
    await page.goto(`${app.server.url}/#/library`);
    await page.getByTestId('pick-files').waitFor({ state: 'attached', timeout: 90_000 });
    await page.getByTestId('pick-files').setInputFiles(more.files);
    await page
      .getByTestId('import-summary')
      .getByText(/Posters/)
      .waitFor({ timeout: 120_000 });
    await openPredict(page);
    await page.getByTestId('predict-file').setInputFiles(DROPPED[0]!);
    // Progress counts every poster without a vector in this new page's worker: the 12 stored ones
    // are read back first, then the 150 new ones computed; cancel once some of those are done.
    const progress = page.getByTestId('index-progress');
    await progress.getByText(/: \d+\/162 posters/).waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      (min) => {
        const t = document.querySelector('[data-testid=index-progress]')?.textContent ?? '';
        return Number(/: (\d+)\//.exec(t)?.[1] ?? 0) > min;
      },
      LIBRARY_SIZE,
      { timeout: 120_000 },
    );
    await page.getByTestId('index-cancel').click();
    const stopped = page.getByTestId('index-cancelled');
    await stopped.waitFor({ timeout: 60_000 });
    const [, done, all] = /Indexing stopped: (\d+) of (\d+)/.exec(await stopped.innerText())!;
    expect(Number(all)).toBe(LIBRARY_SIZE + 150);
    expect(Number(done)).toBeGreaterThan(LIBRARY_SIZE);
    expect(Number(done)).toBeLessThan(LIBRARY_SIZE + 150);
    // Neighbours still come, from what is indexed.
    expect(await page.getByTestId('neighbour').count()).toBe(6);

    await page.getByTestId('predict-file').setInputFiles(DROPPED[1]!);
    const status = page.getByTestId('neighbours-status');
    await status.waitFor({ timeout: 180_000 });
    expect(Number(await status.getAttribute('data-computed'))).toBe(
      LIBRARY_SIZE + 150 - Number(done),
    );
    expect(await status.getAttribute('data-posters')).toBe(String(LIBRARY_SIZE + 150));
  });

  it('with Explain off, a card computes its maps and neighbours when a toggle is pressed', async () => {
    await page.getByTestId('predict-explain').setChecked(false);
    await page.getByTestId('predict-file').setInputFiles(DROPPED[2]!);
    const r = page.locator(`[data-testid=predict-result][data-file="${IDS[2]}.jpg"]`);
    await r.waitFor({ timeout: 60_000 });
    expect(await r.locator('canvas').count()).toBe(0);
    expect(await r.getAttribute('data-saliency-ms')).toBeNull();
    expect(await r.getByTestId('find-neighbours').count()).toBe(1);
    const label = card.labels[3]!;
    await r.locator(`[data-testid=saliency-toggle][data-label="${label}"]`).click();
    await r.locator(`canvas[data-drawn="${label}"]`).waitFor({ timeout: 60_000 });
    await r.getByTestId('neighbour').nth(5).waitFor({ timeout: 60_000 });
    await page.getByTestId('predict-explain').setChecked(true);
  });
});
