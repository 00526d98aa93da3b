import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const noData = missingShared(
  import.meta.url,
  'the Explore journey on the CS109b crawl and TMDb 5000 (group counts checked against that crawl)',
  'data/tmdb-cs109b/movies.csv',
  'data/metadata/tmdb-5000.csv',
);

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

describe.skipIf(noData)('Explore on an imported library', () => {
  it('draws the 19×19 genre heatmap with a dendrogram', async () => {
    await page.getByRole('tab', { name: 'Explore' }).click();
    const heatmap = page.getByRole('img', { name: /Genre correlation heatmap/ });
    await heatmap.waitFor({ timeout: 60_000 });
    expect(await heatmap.locator('rect').count()).toBe(19 * 19);
    expect(await heatmap.locator('.dendro path').count()).toBe(18);
    const cell = heatmap.locator('rect').nth(21); // row 2, column 3: off the diagonal
    await cell.hover();
    expect(await page.locator('figcaption').first().innerText()).toMatch(/φ = -?\d\.\d\d/);
    // The value shows in a tooltip beside the pointer, not under the 740 px chart.
    const box = (await cell.boundingBox())!;
    const tip = (await page.getByTestId('heatmap-tip').boundingBox())!;
    const pointer = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    expect(Math.abs(tip.y - pointer.y)).toBeLessThan(40);
    expect(
      Math.min(Math.abs(tip.x - pointer.x), Math.abs(tip.x + tip.width - pointer.x)),
    ).toBeLessThan(40);
    // A colour legend and the diagonal, marked and out of the colour scale.
    await page.getByText(/diagonal \(a genre with itself/).waitFor();
    expect(await heatmap.locator('rect.diag').count()).toBe(19);
    expect(await heatmap.locator('path.diag-mark').count()).toBe(19);
    // Keyboard: focus the chart, arrow keys move the readout cell by cell.
    await page.mouse.move(0, 0);
    await page.getByRole('group', { name: /Heatmap cells/ }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('heatmap-tip').waitFor();
    expect(await page.locator('figcaption .readout').innerText()).toMatch(/ × .*: φ = /);
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
    // Years and counts as integers, never "1.90e+3" or "1.13e+4".
    expect(await table.innerText()).not.toMatch(/\de[+-]\d/);
    expect((await row('year')).slice(2)).toEqual([
      expect.stringMatching(/^\d{4}$/),
      expect.stringMatching(/^\d{4}$/),
      expect.stringMatching(/^\d{4}$/),
    ]);
    expect((await row('voteCount'))[4]).toMatch(/^\d{1,3}(,\d{3})+$/);
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
