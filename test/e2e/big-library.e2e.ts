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

declare global {
  interface Window {
    __movieReads: number;
  }
}

/**
 * Counts the movie records the page's main thread reads from IndexedDB (workers have their own
 * globals, so their reads are not counted). Runs in the page: pass it to `page.addInitScript`.
 */
function countMovieReads(): void {
  window.__movieReads = 0;
  const count = (req: IDBRequest) =>
    req.addEventListener('success', () => {
      const r: unknown = req.result;
      window.__movieReads += Array.isArray(r) ? r.length : r ? 1 : 0;
    });
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as const)
    for (const name of ['get', 'getAll', 'openCursor'] as const) {
      const original = proto[name] as (...a: unknown[]) => IDBRequest;
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value(this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
          const req = original.apply(this, args);
          const store = this instanceof IDBIndex ? this.objectStore : this;
          if (store.name === 'movies') count(req);
          return req;
        },
      });
    }
}

/** The table rows in the page now: position, title (null while its row is still being read). */
function shownRows(): Promise<Array<{ index: number; title: string | null }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.viewport [data-row]')].map((el) => ({
      index: Number(el.dataset.row),
      title: el.getAttribute('aria-busy') ? null : el.querySelector('.title')!.textContent,
    })),
  );
}

/** Waits until the table shows loaded rows in order, starting at or before `index`. */
async function waitForRowsAt(index: number): Promise<Array<{ index: number; title: string }>> {
  let rows: Array<{ index: number; title: string | null }> = [];
  await expect
    .poll(
      async () => {
        rows = await shownRows();
        return rows.some((r) => r.index === index && r.title !== null);
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return rows.filter((r): r is { index: number; title: string } => r.title !== null);
}

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
  await page.addInitScript(countMovieReads);
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

describe(`the Library table of ${MOVIES.toLocaleString('en')} movies`, { retry: 1 }, () => {
  it('opens after a reload without a task over 200 ms, the records staying out of the page', async () => {
    // Reloaded on another panel: the app opens the library at start (counts, profile, poster keys).
    await page.goto(`${app.server.url}/#/compare`);
    await page.reload();
    await page
      .getByRole('contentinfo', { name: 'Status' })
      .getByText(/20,000 movies/)
      .waitFor({ timeout: 60_000 });
    await longTasksDuring(async () => {
      await page.getByRole('tab', { name: 'Library' }).click();
      await page.getByTestId('table-count').getByText('20,000 of 20,000 movies').waitFor();
      await waitForRowsAt(0);
    });
    // From the reload on: the start of the page as well as opening the table.
    const all = await page.evaluate(() => window.__longTasks.map((t) => Math.round(t.duration)));
    expect(
      Math.max(0, ...all),
      `long tasks since the reload: ${all.join(', ')} ms`,
    ).toBeLessThanOrEqual(LONG_TASK_MS);
    // Default order: most popular first (the worker sorted all 20,000).
    const rows = await waitForRowsAt(0);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    // Only a window of rows was ever read here: no movie record came to the main thread.
    expect(await page.evaluate(() => window.__movieReads)).toBe(0);
  });

  it('sorts by title and by rating without a task over 200 ms', async () => {
    const byTitle = await longTasksDuring(async () => {
      await page.getByRole('button', { name: /^Title/ }).click();
      await page
        .getByRole('columnheader', { name: /Title/ })
        .and(page.locator('[aria-sort="ascending"]'))
        .waitFor();
      await expect.poll(async () => (await waitForRowsAt(0))[0]!.title).toBe('Synthetic 1');
    });
    // Collation order: Synthetic 1, Synthetic 10, Synthetic 100, …
    const titles = (await waitForRowsAt(0)).map((r) => r.title);
    expect(titles.slice(0, 4)).toEqual([
      'Synthetic 1',
      'Synthetic 10',
      'Synthetic 100',
      'Synthetic 1000',
    ]);
    const byRating = await longTasksDuring(async () => {
      await page.getByRole('button', { name: /^Rating/ }).click();
      await page.getByTestId('min-votes').waitFor();
      await expect.poll(async () => (await waitForRowsAt(0))[0]!.title).not.toBe('Synthetic 1');
    });
    const tasks = [...byTitle, ...byRating];
    expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThanOrEqual(
      LONG_TASK_MS,
    );
    await page.getByRole('button', { name: /^Title/ }).click();
    await expect.poll(async () => (await waitForRowsAt(0))[0]!.title).toBe('Synthetic 1');
  });

  it('renders the rows it scrolls to, read from the worker window by window', async () => {
    const target = 12_345;
    await page.locator('.viewport').evaluate((el, i) => (el.scrollTop = i * 64), target);
    const rows = await waitForRowsAt(target);
    // Rows in title (collation) order around position 12,345, nothing skipped.
    const collator = new Intl.Collator();
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k]!.index).toBe(rows[k - 1]!.index + 1);
      expect(collator.compare(rows[k - 1]!.title, rows[k]!.title)).toBeLessThan(0);
    }
    // The window is the table's, not the library's: a few dozen rows in the page.
    expect(rows.length).toBeLessThan(60);
    expect(await page.evaluate(() => window.__movieReads)).toBe(0);
  });

  it('keeps its search across opening a movie with the keyboard and coming back', async () => {
    await page.getByLabel('Search movies').fill('synthetic 2345');
    await page.getByTestId('table-count').getByText('2 of 20,000 movies').waitFor();
    // Title order, as sorted before: "Synthetic 12345" before "Synthetic 2345".
    expect((await waitForRowsAt(1)).map((r) => r.title)).toEqual([
      'Synthetic 12345',
      'Synthetic 2345',
    ]);
    await page.locator('[data-row="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Synthetic 2345\b/ }).waitFor();
    // The detail read one record, by key.
    expect(await page.evaluate(() => window.__movieReads)).toBe(1);
    await page.getByRole('link', { name: '← All movies' }).click();
    expect(await page.getByLabel('Search movies').inputValue()).toBe('synthetic 2345');
    await page.getByTestId('table-count').getByText('2 of 20,000 movies').waitFor();
    await page.getByLabel('Search movies').fill('');
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
