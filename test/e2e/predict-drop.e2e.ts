/**
 * Predict panel, bulk and drag-drop: an exported model DROPPED back onto the panel (a real drop
 * event carrying a DataTransfer built in the page from the downloaded bytes) is imported, listed,
 * made active and predicts identically; a drop missing its weights is refused. Then 500 distinct
 * Kaggle posters (read in place) fill the grid page by page while a progress line counts with an
 * ETA; the CSV export has 500 rows; Cancel stops a second run early. The longest main-thread task
 * (PerformanceObserver 'longtask') is measured and reported, not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const noData = missingShared(
  import.meta.url,
  'the model drop and the 500-poster drop (500 Kaggle posters)',
  'data/posters-kaggle/posters',
);

const POSTERS = join(SHARED, 'data/posters-kaggle/posters');
/** 500 distinct posters, every 13th of the sorted folder (spread over the years). */
const FIVE_HUNDRED = (noData ? [] : readdirSync(POSTERS))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .filter((_, i) => i % 13 === 0)
  .slice(0, 500)
  .map((f) => join(POSTERS, f));

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  page = app.page;
  await page.goto(`${app.server.url}/#/predict`);
  await page.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 60_000 });
});

afterAll(() => app?.close());

/** Dispatches dragover + drop on a test id with files built in the page from (name, bytes). */
async function dropFiles(p: Page, testId: string, files: { name: string; bytes: Buffer }[]) {
  const payload = files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') }));
  await p.getByTestId(testId).evaluate((el, list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.b64);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    el.dispatchEvent(
      new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
    );
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

async function probabilitiesOf(p: Page, file: string): Promise<number[]> {
  const loc = p.locator(`[data-testid=predict-result][data-file="${file}"]`);
  await loc.waitFor({ timeout: 30_000 });
  return JSON.parse((await loc.getAttribute('data-probabilities'))!) as number[];
}

describe.skipIf(noData)('Predict: drag-drop model import and 500 posters at once', () => {
  it('imports an exported model by dropping its files, lists it and predicts identically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-drop-'));
    const shipped = page.locator('[data-testid=model-row][data-id=shipped]');
    const saved: string[] = [];
    const done = new Promise<void>((ok) => {
      page.on('download', async (d) => {
        if (!['model.json', 'weights.bin', 'card.json'].includes(d.suggestedFilename())) return;
        const path = join(dir, d.suggestedFilename());
        await d.saveAs(path);
        saved.push(path);
        if (saved.length === 3) ok();
      });
    });
    await shipped.getByRole('button', { name: 'Export', exact: true }).click();
    await done;
    const files = saved.map((f) => ({ name: f.slice(dir.length + 1), bytes: readFileSync(f) }));

    // Without its weights the drop is refused, with the picker's reason; nothing is added.
    await dropFiles(
      page,
      'model-drop',
      files.filter((f) => f.name !== 'weights.bin'),
    );
    await page.getByTestId('model-problems').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('model-problems').innerText()).toMatch(/weights\.bin/);
    expect(await page.getByTestId('model-row').count()).toBe(1);

    const poster = FIVE_HUNDRED[0]!;
    const name = poster.slice(POSTERS.length + 1);
    await page.getByTestId('predict-file').setInputFiles(poster);
    const original = await probabilitiesOf(page, name);

    await dropFiles(page, 'model-drop', files);
    await page
      .getByTestId('model-row')
      .nth(1)
      .locator('input:checked')
      .waitFor({ state: 'attached', timeout: 30_000 });
    expect(await page.getByTestId('model-problems').count()).toBe(0);
    await page.getByTestId('predict-file').setInputFiles(poster);
    await page.locator('[data-testid=predict-result]').first().waitFor();
    const dropped = await probabilitiesOf(page, name);
    expect(dropped).toEqual(original); // same weights, same kernels: bit-identical
    await page.screenshot({ path: join(SHOTS, 'predict-drop-import.png'), fullPage: true });
  });

  it('predicts 500 posters progressively with a progress line, ETA and paging; the CSV has 500 rows', async () => {
    expect(new Set(FIVE_HUNDRED).size).toBe(500);
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number; __longtasks: number };
      w.__longest = 0;
      w.__longtasks = 0;
      if (!PerformanceObserver.supportedEntryTypes.includes('longtask'))
        return void (w.__longest = -1);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.__longtasks++;
          w.__longest = Math.max(w.__longest, e.duration);
        }
      }).observe({ type: 'longtask' });
    });
    // Results are kept until cleared: clear the first test's, so the grid and CSV hold these 500.
    await page.getByTestId('predict-clear').click();
    expect(await page.getByTestId('predict-result').count()).toBe(0);
    const started = Date.now();
    await page.getByTestId('predict-file').setInputFiles(FIVE_HUNDRED);
    const progress = page.getByTestId('predict-progress');
    await progress.getByText(/about \d+ s left/).waitFor({ timeout: 60_000 });
    // The grid fills while the rest is still being predicted.
    await page.getByTestId('predict-result').first().waitFor();
    const midway = await progress.innerText();
    const [done, total] = /(\d+)\/(\d+) files/.exec(midway)!.slice(1).map(Number);
    expect(total).toBe(500);
    expect(done).toBeLessThan(500);
    await page.screenshot({ path: join(SHOTS, 'predict-500-progress.png') });

    await progress.waitFor({ state: 'detached', timeout: 600_000 });
    const elapsedS = (Date.now() - started) / 1000;
    expect(await page.getByTestId('predict-pager').innerText()).toMatch(
      /page 1 of 21 · 500 posters/,
    );
    expect(await page.getByTestId('predict-result').count()).toBe(24);
    await page.getByTestId('predict-pager').getByRole('button', { name: 'Next' }).click();
    expect(await page.getByTestId('predict-pager').innerText()).toMatch(/page 2 of 21/);
    await page.screenshot({ path: join(SHOTS, 'predict-500.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('predict-csv').click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(501);
    expect(new Set(csv.slice(1).map((l) => l.split(',')[0])).size).toBe(500);
    const longest = await page.evaluate(() => {
      const w = window as unknown as { __longest: number; __longtasks: number };
      return { longestMs: w.__longest, count: w.__longtasks };
    });
    console.log(
      `500 posters in ${elapsedS.toFixed(1)} s (${(500 / elapsedS).toFixed(1)}/s); longest main-thread task ${longest.longestMs.toFixed(0)} ms over ${longest.count} long tasks (-1: longtask not supported)`,
    );
  });

  it('cancels a large drop between chunks and keeps what was predicted', async () => {
    await page.getByTestId('predict-file').setInputFiles(FIVE_HUNDRED.slice(0, 200));
    await page.getByTestId('predict-result').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('predict-cancel').click();
    await page.getByText(/Cancelled after \d+ of 200 files/).waitFor({ timeout: 30_000 });
    const text = await page.getByText(/Cancelled after/).innerText();
    const kept = Number(/after (\d+)/.exec(text)![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200);
    expect(text).toMatch(/of this drop \(earlier results are kept\)/);
    // The 500 of the previous drop stay behind this drop's cards.
    await page.getByTestId('predict-progress').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getByTestId('predict-pager').innerText()).toContain(
      `· ${500 + kept} posters`,
    );
  });
});
