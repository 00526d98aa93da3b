/**
 * Metadata and combined prediction in the built app, on a small real library: the rows of
 * tmdb-imdb-2011-2016.csv whose movies have a Kaggle poster the shipped poster model never fitted
 * on (its validation and test splits, rebuilt by scripts/default-data.ts), joined on imdb_id; the
 * joined CSV is written to a temp dir at test time, the posters are read in place. A quick logistic run is
 * trained through Train; in Predict the fusion weights are learned (training rows, out-of-fold)
 * and scored (test rows), then a library movie shows three bar charts: poster, metadata, combined
 * (combined = w·poster + (1 − w)·metadata with the shown weights); the form predicts too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { loadDefaultData } from '../../scripts/default-data.ts';
import { metadataModelProblems, readMetadataModel } from '../../src/lib/predict/metadata-export.ts';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const noData = missingShared(
  import.meta.url,
  'the metadata model and late-fusion journey (TMDb/IMDb 2011-2016 movies with their Kaggle posters)',
  'data/metadata/tmdb-imdb-2011-2016.csv',
  'data/posters-kaggle/posters',
);

const POSTERS = join(SHARED, 'data/posters-kaggle/posters');
/** At most this many movies (about 260 qualify). */
const MAX_MOVIES = 300;

let app: AppSession;
let page: Page;
let csvPath = '';
let posterPaths: string[] = [];
let rows: Record<string, string>[] = [];

/** The joined CSV (UTF-8) in a temp dir; the source file is Windows-1252 with numeric imdb ids. */
async function writeJoinedCsv(): Promise<void> {
  const shipped = await loadDefaultData();
  const unseen = new Set([...shipped.validation, ...shipped.test].map((r) => shipped.ids[r]!));
  const text = new TextDecoder('windows-1252').decode(
    readFileSync(join(SHARED, 'data/metadata/tmdb-imdb-2011-2016.csv')),
  );
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const seen = new Set<string>();
  rows = parsed.data
    .filter((r) => {
      if (!/^\d+$/.test(r.imdb_id ?? '')) return false;
      const id = `tt${r.imdb_id!.padStart(7, '0')}`;
      if (seen.has(id) || !unseen.has(id) || !existsSync(join(POSTERS, `${id}.jpg`))) return false;
      seen.add(id);
      return true;
    })
    .slice(0, MAX_MOVIES);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-fusion-'));
  csvPath = join(dir, 'tmdb-imdb-with-posters.csv');
  writeFileSync(csvPath, Papa.unparse(rows, { columns: parsed.meta.fields }));
  posterPaths = rows.map((r) => join(POSTERS, `tt${r.imdb_id!.padStart(7, '0')}.jpg`));
}

beforeAll(async () => {
  await writeJoinedCsv();
  app = await startApp({ viewport: { width: 1400, height: 1000 } });
  page = app.page;
});

afterAll(() => app?.close());

const probs = async (p: Page, testId: string) =>
  JSON.parse((await p.getByTestId(testId).getAttribute('data-probabilities'))!) as number[];

describe.skipIf(noData)('Predict: metadata model and late fusion on a small library', () => {
  it('imports the movies with their Kaggle posters and trains a quick logistic run', async () => {
    expect(rows.length).toBeGreaterThan(150);
    console.log(`${rows.length} movies with posters the shipped model never fitted on`);
    await page.goto(`${app.server.url}/#/library`);
    await page.getByTestId('pick-files').setInputFiles([csvPath, ...posterPaths]);
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await page.getByText(`${rows.length} posters`).first().waitFor({ timeout: 60_000 });

    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Name', { exact: true }).fill('e2e fusion logistic');
    await page.getByLabel('CV folds').fill('3');
    await page.getByLabel('Model kind').selectOption('logistic');
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const recent = page.getByTestId('recent-runs');
    await recent.getByText(/e2e fusion logistic\s+done/).waitFor({ timeout: 120_000 });
  });

  it('learns fusion weights on training rows and reports poster / metadata / combined on test rows', async () => {
    await page.goto(`${app.server.url}/#/predict`);
    await page.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 60_000 });
    const run = page.getByTestId('metadata-run');
    await run.waitFor({ timeout: 30_000 });
    expect(await run.locator('option').first().innerText()).toMatch(/e2e fusion logistic/);
    await page.getByTestId('fusion-learn').click();
    const table = page.getByTestId('fusion-metrics');
    await table.waitFor({ timeout: 180_000 });
    const text = await table.innerText();
    for (const row of ['Poster only', 'Metadata only', 'Combined'])
      expect(text).toMatch(new RegExp(`${row}\\s+\\d+\\.\\d%\\s+\\d+\\.\\d%`));
    expect(await page.getByTestId('fusion-weights').locator('tbody tr').count()).toBe(7);
    const summary = await page.getByTestId('fusion').innerText();
    const [val, test] = /weights from (\d+) training movies, metrics on (\d+) test movies/
      .exec(summary)!
      .slice(1)
      .map(Number);
    expect(val! + test!).toBeLessThanOrEqual(rows.length);
    expect(test).toBeGreaterThan(0);
    console.log(`fusion: ${val} validation rows, ${test} test rows\n${text}`);
  });

  it('exports the chosen metadata model as one JSON file in the documented format', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('metadata-export').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('e2e-fusion-logistic.metadata-model.json');
    const text = readFileSync((await d.path())!, 'utf8');
    const model = readMetadataModel(text);
    expect(model.labels).toHaveLength(7);
    expect(model.transform.names.length).toBeGreaterThan(0);
    expect(metadataModelProblems(JSON.parse(text))).toEqual([]);
  });

  it('shows poster, metadata and combined bars for a library movie', async () => {
    const title = rows[0]!.title!;
    await page.getByTestId('metadata-search').fill(title);
    await page.getByTestId('metadata-match').filter({ hasText: title }).first().click();
    await page.getByTestId('chart-combined').waitFor({ timeout: 60_000 });
    const poster = await probs(page, 'chart-poster');
    const metadata = await probs(page, 'chart-metadata');
    const combined = await probs(page, 'chart-combined');
    for (const p of [poster, metadata, combined]) {
      expect(p).toHaveLength(7);
      for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    }
    const weights = await page
      .getByTestId('fusion-weights')
      .locator('tbody tr td:first-of-type')
      .allInnerTexts();
    combined.forEach((v, i) => {
      const w = Number(weights[i]); // multiples of 0.05, shown exactly with 2 decimals
      expect(Math.abs(v - (w * poster[i]! + (1 - w) * metadata[i]!))).toBeLessThan(1e-6);
    });
    expect(
      await page
        .getByTestId('metadata-movie')
        .getByRole('img', { name: /group probabilities/ })
        .count(),
    ).toBe(3);
    await page.getByTestId('metadata-movie').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'predict-fusion.png'), fullPage: true });

    // The poster bars are what the grid gives for the same poster file.
    await page.getByTestId('predict-file').setInputFiles(posterPaths[0]!);
    const grid = page.locator('[data-testid=predict-result]').first();
    await grid.waitFor({ timeout: 30_000 });
    const fromGrid = JSON.parse((await grid.getAttribute('data-probabilities'))!) as number[];
    fromGrid.forEach((v, i) => expect(Math.abs(v - poster[i]!)).toBeLessThan(1e-5));
  });

  it('predicts from the metadata form, blanks imputed', async () => {
    const form = page.getByTestId('metadata-form');
    const fields = await form
      .locator('[data-field]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-field')));
    expect(fields).toContain('popularity');
    await form.locator('[data-field=popularity]').fill('25');
    await page.getByTestId('metadata-form-submit').click();
    await page.getByTestId('metadata-form-result').waitFor({ timeout: 30_000 });
    const p = await probs(page, 'metadata-form-result');
    expect(p).toHaveLength(7);
    await form.locator('[data-field=popularity]').fill('400');
    await page.getByTestId('metadata-form-submit').click();
    await expect
      .poll(async () => JSON.stringify(await probs(page, 'metadata-form-result')))
      .not.toBe(JSON.stringify(p));
    await page.getByTestId('metadata-form-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'predict-metadata-form.png'), fullPage: true });
  });
});
