/**
 * Poster experiments in the built app: 60 made-up movies in Kaggle's labels.csv layout and their
 * posters (made by the test) imported in Library, a tiny initial CNN queued from the
 * Posters form (first 40 posters, 2 epochs, batch 8), its live curve while it trains, its row in
 * Compare's Table 2 view with finite metrics; then a queued run removed and a running one
 * cancelled, both kept as cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMoviesCsv } from '../../src/lib/data/csv.ts';
import { PAPER7 } from '../../src/lib/features/groups.ts';
import { labelledPosterFiles, SHOTS, startApp, type AppSession } from './app.ts';

const N = 60;

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1400, height: 1000 } });
  page = app.page;
});

afterAll(() => app?.close());

const posterSection = (p: Page) => p.getByRole('region', { name: 'Poster experiment' });

/** Fills the posters form for a quick CNN run from a preset. */
async function quickCnn(p: Page, preset: string, name: string, epochs: number): Promise<void> {
  const form = posterSection(p);
  await form.getByRole('button', { name: preset }).click();
  await form.getByLabel('Run name').fill(name);
  await form.getByLabel('Limit (first N posters)').fill('40');
  await form.getByLabel(/^epochs \(/).fill(String(epochs));
  await form.getByLabel(/^batchSize \(/).fill('8');
}

describe('Train and Compare poster models', () => {
  it('says how many library movies have a poster and a genre, and how to get posters', async () => {
    const [csv, ...posters] = labelledPosterFiles(N);
    await app.page.goto(`${app.server.url}/#/library`);
    await page.getByTestId('pick-files').setInputFiles(csv!);
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Train' }).click();
    // The switch is two radios: keyboard reaches Posters with an arrow key.
    const metadata = page.getByRole('radio', { name: 'Metadata models' });
    await metadata.waitFor({ timeout: 30_000 });
    await metadata.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/#\/train\/posters$/);
    expect(await page.getByRole('radio', { name: 'Posters' }).isChecked()).toBe(true);
    // Movies with genres but no posters yet: say so, and where posters come from.
    // The Posters part is unhidden a frame after the radio flips; innerText of a hidden element is
    // its raw textContent (template line breaks included), so wait until it is shown.
    await posterSection(page).waitFor({ state: 'visible' });
    const count = page.getByTestId('poster-count');
    const text = async () => (await count.innerText()).replace(/\s+/g, ' ').trim();
    await expect
      .poll(text)
      .toMatch(
        /^No library movie has both a poster and a genre .* \(0 posters stored\)\. Get posters in Library/,
      );
    expect(await page.getByRole('button', { name: 'Add poster run to queue' }).isDisabled()).toBe(
      true,
    );
    await page.screenshot({ path: join(SHOTS, 'train-posters-none.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByTestId('pick-files').setInputFiles(posters);
    await page
      .getByTestId('import-summary')
      .getByText(/poster/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.goto(`${app.server.url}/#/train/posters`);
    // Every subset movie has a poster; those whose genres map to no paper group are not counted.
    const { movies } = await parseMoviesCsv(readFileSync(csv!, 'utf8'), { source: 'labels.csv' });
    const paperIds = new Set(PAPER7.flatMap((g) => g.genreIds));
    const expected = movies.filter((m) => m.genreIds.some((id) => paperIds.has(id))).length;
    expect(expected).toBeGreaterThan(40);
    await expect
      .poll(text, { timeout: 30_000 })
      .toBe(`${expected} library movies have both a poster and a genre of the chosen groups.`);
    await posterSection(page).getByRole('button', { name: 'Paper grid search' }).click();
    expect(await page.getByTestId('poster-fits').innerText()).toBe(
      '32 grid points, each trained on 80 % of the training split, then a refit',
    );
    await posterSection(page).getByRole('button', { name: 'VGG16 + MLP head' }).click();
    expect(await page.getByTestId('vgg-note').innerText()).toMatch(/weights .*Settings/);
    await page.screenshot({ path: join(SHOTS, 'train-posters-form.png'), fullPage: true });
  });

  it('trains a tiny CNN with a live curve, then shows it in the Table 2 view', async () => {
    await quickCnn(page, 'Paper initial CNN', 'e2e tiny cnn', 2);
    const json = JSON.parse(await page.getByLabel('Posters spec (JSON)').inputValue()) as unknown;
    expect(json).toMatchObject({
      name: 'e2e tiny cnn',
      data: { library: true },
      model: { kind: 'cnn', params: { preset: 'initial', epochs: 2, batchSize: 8 } },
      limit: 40,
    });
    await page.getByRole('button', { name: 'Add poster run to queue' }).click();
    await page.getByRole('group', { name: /Running: e2e tiny cnn/ }).waitFor({ timeout: 30_000 });
    // The summary states the last epoch received; the card stays once the run has ended.
    const curves = page.getByTestId('live-curves');
    await curves.getByText(/final, epoch 2: loss \d/).waitFor({ timeout: 120_000 });
    // The D3 chart: one 'final' series whose loss path has a point per epoch (M x,y L x,y).
    const loss = curves.locator('svg[role=img] path.loss');
    await expect.poll(() => loss.count()).toBe(1);
    const d = (await loss.getAttribute('d')) ?? '';
    expect(d.match(/[ML]\s*-?[\d.]+[ ,]-?[\d.]+/g)?.length).toBeGreaterThanOrEqual(2);
    expect(await curves.getByRole('img').getAttribute('aria-label')).toMatch(/final: 2 epochs/);
    const recent = page.getByTestId('recent-runs');
    await recent.getByText(/e2e tiny cnn/).waitFor({ timeout: 60_000 });
    expect(await recent.innerText()).toMatch(
      /e2e tiny cnn\s+done in [\d.]+ s · Hamming loss 0\.\d{3}/,
    );
    await page.screenshot({ path: join(SHOTS, 'train-posters-done.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('radio', { name: /Table 2 view/ }).check();
    await page.waitForURL(/#\/compare\/table2$/); // the view is linkable and survives a reload
    const table = page.getByTestId('runs-table');
    await table.waitFor();
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers.slice(0, 10).map((h) => h.trim())).toEqual([
      'Run',
      'Model',
      'Hamming loss',
      'Exact match',
      'At least one',
      'Micro F1',
      'Macro F1',
      'Epochs trained',
      'Training time',
      'Backend',
    ]);
    const row = table.locator('tbody tr').filter({ hasText: 'e2e tiny cnn' });
    const cells = (await row.locator('th, td').allInnerTexts()).map((c) => c.trim());
    expect(cells[1]).toBe('cnn initial, batch 8, 2 epochs, adam');
    expect(Number(cells[2])).toBeGreaterThanOrEqual(0); // Hamming loss, a finite number
    expect(Number(cells[2])).toBeLessThan(1);
    for (const c of cells.slice(3, 5)) expect(c).toMatch(/^\d+\.\d%$/);
    for (const c of cells.slice(5, 7)) expect(Number.isFinite(Number(c))).toBe(true);
    expect(Number(cells[7])).toBeGreaterThanOrEqual(1); // epochs trained (early stopping may cut)
    expect(Number(cells[7])).toBeLessThanOrEqual(2);
    expect(cells[8]).toMatch(/^\d+\.\d s$/);
    expect(cells[9]).toMatch(/^(wasm|webgl|webgpu|cpu)$/);
    await page.screenshot({ path: join(SHOTS, 'compare-table2.png'), fullPage: true });
  });

  it('keeps a removed queued run and a cancelled running one as cancelled', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    // The Train tab reopens the mode chosen last (Posters, in the tests above), not metadata.
    await expect.poll(() => page.getByRole('radio', { name: 'Posters' }).isChecked()).toBe(true);
    await posterSection(page).waitFor();
    await quickCnn(page, 'Paper tuned CNN', 'e2e to cancel', 20);
    await page.getByRole('button', { name: 'Add poster run to queue' }).click();
    await posterSection(page).getByLabel('Run name').fill('e2e queued');
    await page.getByRole('button', { name: 'Add poster run to queue' }).click();
    const running = page.getByRole('group', { name: /Running: e2e to cancel/ });
    await running.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Remove e2e queued from the queue' }).click();
    const curves = page.getByTestId('live-curves');
    await curves.getByText(/final, epoch 1:/).waitFor({ timeout: 120_000 });
    expect(await curves.getByRole('heading').innerText()).toMatch(/e2e to cancel \(training\)/);
    await page.screenshot({ path: join(SHOTS, 'train-posters-running.png'), fullPage: true });
    await running.getByRole('button', { name: 'Cancel' }).click();
    const recent = page.getByTestId('recent-runs');
    await recent.getByText(/e2e to cancel\s+cancelled/).waitFor({ timeout: 60_000 });
    expect(await recent.innerText()).toMatch(/e2e queued\s+cancelled: Removed from the queue/);
    expect(await page.getByTestId('queue').count()).toBe(0);

    await page.getByRole('tab', { name: 'Compare' }).click();
    const table = page.getByTestId('runs-table');
    await table.waitFor();
    // Cancelled runs are hidden until asked for, then listed with their state.
    for (const name of ['e2e to cancel', 'e2e queued'])
      expect(await table.locator('tbody tr').filter({ hasText: name }).count()).toBe(0);
    await page.getByTestId('show-cancelled').check();
    for (const name of ['e2e to cancel', 'e2e queued'])
      expect(await table.locator('tbody tr').filter({ hasText: name }).innerText()).toMatch(
        /cancelled/,
      );
    await page.screenshot({ path: join(SHOTS, 'compare-table2-cancelled.png'), fullPage: true });
  });
});
