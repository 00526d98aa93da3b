import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { madeMetadataFile, SHOTS, startApp, type AppSession } from './app.ts';

/**
 * 6,000 made-up movies in the layout of the TMDb + IMDb 2011–2016 file (as many as it has, so the
 * tuned forest below is still running when it is cancelled); this journey needs no shared data.
 */
const MOVIES = madeMetadataFile(6000);

let app: AppSession;
let server: AppSession['server'];
let page: Page;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1400, height: 1000 } });
  ({ server, page } = app);
});

afterAll(() => app?.close());

describe('Train and Compare metadata models', () => {
  it('says plainly that an empty library has nothing to train on, with a link to Library', async () => {
    await page.goto(`${server.url}/#/train`);
    const msg = page.getByTestId('no-labels');
    await msg.waitFor({ timeout: 30_000 });
    expect(await msg.innerText()).toMatch(/library is empty/);
    await msg.getByRole('link', { name: /Import a movies CSV/ }).click();
    await page.waitForURL(/#\/library$/);
  });

  it('runs a small logistic experiment in the worker with live progress and saves it', async () => {
    await page.getByTestId('pick-files').setInputFiles(MOVIES);
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Train' }).click();
    // The CSV has no certificate column: the form leaves the certificate one-hot out by itself.
    await expect.poll(() => page.getByLabel(/certificate \(one-hot\)/).isChecked()).toBe(false);
    // Features the library lacks are shown disabled with the reason, not ticked and dropped silently.
    for (const name of [/certificate \(one-hot\)/, /IMDb votes/, /stunts/, /effects/]) {
      expect(await page.getByLabel(name).isDisabled(), String(name)).toBe(true);
      expect(await page.getByLabel(name).isChecked(), String(name)).toBe(false);
    }
    expect(await page.getByLabel(/popularity/).isChecked()).toBe(true);
    await page
      .getByText(/^not in this library \(no API has it/)
      .first()
      .waitFor();
    await page.getByLabel('Name', { exact: true }).fill('e2e logistic');
    await page.getByLabel('CV folds').fill('2');
    await page.getByLabel('Model kind').selectOption('logistic');
    await page.getByLabel(/^C \(/).fill('0.1, 1');
    // The JSON view follows the form.
    const json = JSON.parse(await page.getByLabel('Experiment spec (JSON)').inputValue()) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      name: 'e2e logistic',
      data: { library: true },
      model: { kind: 'logistic', grid: { C: [0.1, 1] } },
      cv: { folds: 2 },
    });
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const progress = page.getByRole('group', { name: /Running: e2e logistic/ });
    await progress.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'train-running.png') });
    const recent = page.getByTestId('recent-runs');
    await recent.getByText(/e2e logistic/).waitFor({ timeout: 60_000 });
    expect(await recent.innerText()).toMatch(
      /e2e logistic\s+done in [\d.]+ s · Hamming loss 0\.\d{3} ·\s+exact match \d+\.\d% · at least one \d+\.\d%/,
    );
    await page.screenshot({ path: join(SHOTS, 'train-done.png'), fullPage: true });
  });

  it('shows JSON mistakes clearly and refuses to queue them', async () => {
    const box = page.getByLabel('Experiment spec (JSON)');
    await page.getByText(/^Spec as JSON/).click();
    const good = await box.inputValue();
    await box.fill(good.replace('"folds": 2', '"folds": 1').replace('"logistic"', '"svn"'));
    const problems = page.getByTestId('spec-problems');
    await problems.waitFor();
    const text = await problems.innerText();
    expect(text).toContain('cv.folds: must be an integer >= 2');
    expect(text).toMatch(/model\.kind: unknown model "svn"/);
    expect(await page.getByRole('button', { name: 'Add to queue' }).isDisabled()).toBe(true);
    await box.fill('{ "name": ');
    expect(await problems.innerText()).toMatch(/JSON: /);
    await page.screenshot({ path: join(SHOTS, 'train-json-problems.png'), fullPage: true });
    await page.getByRole('button', { name: /Discard edits/ }).click();
    expect(await problems.count()).toBe(0);
  });

  it('cancels a long run and keeps it as cancelled', async () => {
    await page.getByRole('button', { name: 'Random forest (tuned)' }).click();
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const progress = page.getByRole('group', { name: /Running: Random forest, tuned/ });
    await progress.waitFor({ timeout: 30_000 });
    await progress.getByText(/fold 1\/5/).waitFor({ timeout: 30_000 });
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByTestId('recent-runs')
      .getByText(/cancelled/)
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('queue').count()).toBe(0);
  });

  it('lists the runs in Compare, sorts by a header button, shows per-label scores and exports', async () => {
    await page.getByRole('tab', { name: 'Compare' }).click();
    const table = page.getByTestId('runs-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    // Cancelled runs are hidden unless asked for.
    expect(await rows.count()).toBe(1);
    await page.getByLabel(/Show cancelled runs \(1\)/).check();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(
      // The columns the library has, listed (IMDb votes, stunts and effects were never ticked).
      /e2e logistic\s+logistic C=(0\.1|1) \(grid 2\)\s+popularity, voteCount, voteAverage, year, month, decade, standardize\s+none\s+0\.\d{3}\s+\d+\.\d%/,
    );
    expect(await rows.nth(1).innerText()).toMatch(/Random forest, tuned\s*cancelled/);
    const header = table.getByRole('button', { name: /Hamming loss/ });
    await header.focus();
    await page.keyboard.press('Enter');
    expect(await table.locator('th[aria-sort=ascending]').innerText()).toMatch(/Hamming loss/);
    // Nulls (the cancelled run) stay last in either direction.
    expect(await rows.nth(1).innerText()).toMatch(/cancelled/);
    const perLabel = page.getByTestId('per-label');
    expect(await perLabel.locator('tbody tr').count()).toBe(7);
    // The run trained in the worker stored its ranking metrics and curves with the result.
    expect(await page.getByTestId('ranking-figures').innerText()).toMatch(
      /ROC AUC micro\s+0\.\d{3}/,
    );
    expect(await page.getByTestId('ranking-per-label').locator('tbody tr').count()).toBe(7);
    expect(await page.getByTestId('unit-curves-roc').locator('path').count()).toBeGreaterThan(1);
    expect(
      await page
        .getByRole('img', { name: /CV error bars/ })
        .locator('line.whisker')
        .count(),
    ).toBe(3);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^name,model,features,sampling,hamming_loss/);
    expect(csv).toContain('e2e logistic');
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  });

  it('deletes a run', async () => {
    await page.getByRole('button', { name: 'Delete run Random forest, tuned' }).click();
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr').count()).toBe(1);
  });
});
