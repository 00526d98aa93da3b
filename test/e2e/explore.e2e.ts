import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { SHARED, SHOTS, startApp, type AppSession } from './app.ts';

let app: AppSession;
let server: AppSession['server'];
let page: Page;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1400, height: 1000 } });
  ({ server, page } = app);
  await page.goto(`${server.url}/#/library`);
  await page.getByTestId('pick-files').setInputFiles(join(SHARED, 'data/tmdb-cs109b/movies.csv'));
  await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
});

afterAll(() => app?.close());

describe('Explore on an imported library', () => {
  it('draws the 19×19 genre heatmap with a dendrogram', async () => {
    await page.getByRole('tab', { name: 'Explore' }).click();
    const heatmap = page.getByRole('img', { name: /Genre correlation heatmap/ });
    await heatmap.waitFor({ timeout: 60_000 });
    expect(await heatmap.locator('rect').count()).toBe(19 * 19);
    expect(await heatmap.locator('.dendro path').count()).toBe(18);
    await heatmap.locator('rect').nth(20).hover();
    expect(await page.locator('figcaption').first().innerText()).toMatch(/φ = -?\d\.\d\d/);
  });

  it('shows the paper groups with this library’s counts and what they leave out', async () => {
    const table = page.getByTestId('group-table');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(7);
    // Counts on the CS109b crawl's 4,411 unique movies, computed independently with Python's csv module
    // (see src/lib/features/groups.test.ts): 693, 2766, 484, 701, 966, 1722, 1064; 313 movies in no group.
    const counts = rows.map((r) => Number(r.split('\t')[2]?.replace(/,/g, '')));
    expect(counts).toEqual([693, 2766, 484, 701, 966, 1722, 1064]);
    expect(await page.getByTestId('dropped').innerText()).toMatch(/4,098 movies .* 313 have none/);
    await page.screenshot({ path: join(SHOTS, 'explore.png'), fullPage: true });
  });

  it('previews the paper’s features with their missing shares, and rescales them', async () => {
    const table = page.getByTestId('feature-table');
    await table.waitFor();
    const row = async (name: string) =>
      (await table.locator('tr', { hasText: name }).first().innerText()).split('\t');
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(5);
    expect((await row('certificate=Unrated'))[1]).toBe('—');
    await page.getByLabel('Scaling').selectOption('minmax');
    await expect
      .poll(async () => (await row('popularity')).slice(2))
      .toEqual(['0.00', expect.any(String), '1.00']);
  });

  it('cuts groups from the clustering and previews sampling on the training split', async () => {
    await page.getByLabel(/Cut the clustering/).check();
    await page.getByLabel('number of groups').fill('4');
    await expect
      .poll(async () => page.getByTestId('group-table').locator('tbody tr').count())
      .toBe(4);
    await page.getByLabel('Method').selectOption('ml-ros');
    await expect
      .poll(async () => page.getByTestId('sampling-rows').innerText())
      .toMatch(/Training rows: [\d,]+ → [\d,]+; test rows untouched: [\d,]+/);
  });

  it('runs the keyword forest in a worker with progress, and charts top keywords with error bars', async () => {
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByTestId('pick-files').setInputFiles(join(SHARED, 'data/metadata/tmdb-5000.csv'));
    await page
      .getByTestId('import-summary')
      .getByText(/tmdb-5000\.csv/)
      .waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: 'Explore' }).click();
    await page.getByLabel('Trees per group').fill('10');
    await page.getByRole('button', { name: 'Run keyword analysis' }).click();
    await page.getByTestId('keyword-metrics').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('keyword-metrics').innerText()).toMatch(
      /Hamming loss 0\.\d{3}, exact match \d+\.\d%/,
    );
    const chart = page.getByTestId('keyword-chart');
    expect(await chart.locator('rect').count()).toBe(15);
    expect(await chart.locator('line.whisker').count()).toBe(15);
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'explore-keywords.png') });
  });
});
