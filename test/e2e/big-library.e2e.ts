import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPaperCsv } from '../../bench/synthetic.ts';
import { startApp, type AppSession } from './app.ts';
import { observeLongTasks } from '../long-tasks.ts';

/** Movies in the generated library: big enough that a whole-library copy freezes the page. */
const MOVIES = 20_000;
/** The longest main-thread task allowed during a panel action (issue 19). */
const LONG_TASK_MS = 200;

let app: AppSession;
let page: Page;

/** Runs an action and returns the main-thread tasks over 50 ms that happened during it (ms each). */
async function longTasksDuring(action: () => Promise<void>): Promise<number[]> {
  const from = await page.evaluate(() => performance.now());
  await action();
  // A task still running when the action's last wait ended is reported when it ends.
  await page.waitForTimeout(300);
  return page.evaluate(
    (t0) => window.__longTasks.filter((t) => t.start >= t0).map((t) => Math.round(t.duration)),
    from,
  );
}

beforeAll(async () => {
  app = await startApp();
  page = app.page;
  await page.addInitScript(observeLongTasks);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-big-'));
  const csv = join(dir, `synthetic-${MOVIES}.csv`);
  // Clearly synthetic rows (ids 1…20,000, "Synthetic n" titles, genre-linked keywords), seeded.
  writeFileSync(csv, syntheticPaperCsv(MOVIES, 2_000, 8));
  await page.goto(`${app.server.url}/#/library`);
  await page.getByTestId('pick-files').setInputFiles(csv);
  await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
  await page
    .getByRole('contentinfo', { name: 'Status' })
    .getByText(/20,000 movies/)
    .waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(() => app?.close());

// One retry: a whole-library copy freezes the page every time (946–1,708 ms here before the
// workers read the library themselves), while on a loaded 2-core machine the panels' own first
// render (~80 ms quiet, size-independent) has been seen stretched to 243 ms once.
describe(`a ${MOVIES.toLocaleString('en')}-movie library`, { retry: 1 }, () => {
  it('opens Explore without a main-thread task over 200 ms', async () => {
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByTestId('pick-files').waitFor({ state: 'attached' });
    const tasks = await longTasksDuring(async () => {
      await page.getByRole('tab', { name: 'Explore' }).click();
      await page
        .getByRole('img', { name: /Genre correlation heatmap/ })
        .waitFor({ timeout: 60_000 });
      await page.getByTestId('group-table').waitFor({ timeout: 60_000 });
      await page.getByTestId('sampling-rows').waitFor({ timeout: 60_000 });
      await page.getByTestId('feature-table').waitFor({ timeout: 60_000 });
    });
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThanOrEqual(
      LONG_TASK_MS,
    );
    // The worker counted every stored movie: those in a group plus those in none.
    const [kept, dropped] = (await page.getByTestId('dropped').innerText())
      .match(/[\d,]+/g)!
      .map((n) => Number(n.replace(/,/g, '')));
    expect(kept! + dropped!).toBe(MOVIES);
  });

  it('starts a keyword analysis without a main-thread task over 200 ms', async () => {
    await page.getByLabel('Trees per group').fill('10');
    const tasks = await longTasksDuring(async () => {
      await page.getByRole('button', { name: 'Run keyword analysis' }).click();
      await page.getByText(/Growing trees/).waitFor({ timeout: 60_000 });
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled.').waitFor({ timeout: 30_000 });
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThanOrEqual(
      LONG_TASK_MS,
    );
  });

  it('opens Train and starts a training run without a main-thread task over 200 ms', async () => {
    const tasks = await longTasksDuring(async () => {
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Model kind').selectOption('logistic');
      await page.getByLabel('Name', { exact: true }).fill('big library');
      await page.getByRole('button', { name: 'Add to queue' }).click();
      const running = page.getByRole('group', { name: /Running: big library/ });
      await running.waitFor({ timeout: 60_000 });
      // The worker has the movies once its progress moves past "starting".
      await expect.poll(() => running.innerText(), { timeout: 60_000 }).not.toMatch(/starting/i);
    });
    await page
      .getByRole('group', { name: /Running: big library/ })
      .getByRole('button', { name: 'Cancel' })
      .click();
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThanOrEqual(
      LONG_TASK_MS,
    );
  });
});

describe('Settings on a big library', () => {
  it('shows what each store holds, measured in a worker without a long task', async () => {
    const tasks = await longTasksDuring(async () => {
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByTestId('store-sizes').waitFor({ timeout: 60_000 });
    });
    const movies = await page
      .getByTestId('store-sizes')
      .locator('tr', { hasText: 'Movies' })
      .innerText();
    const [records, size, perRecord] = movies.split('\t').slice(1);
    expect(records).toBe('20,000');
    expect(size).toMatch(/^[\d.]+ MB$/);
    // A synthetic movie (title, genres, 8 keywords, a dozen numbers) is a few hundred bytes.
    expect(perRecord).toMatch(/^\d{3} B$/);
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThanOrEqual(
      LONG_TASK_MS,
    );
  });
});
