/**
 * A poster run's detail in Compare, from a REAL result: the PCA + SVM baseline run in Node by
 * runPosterExperiment on the first 60 Kaggle posters (read in place from ../shared), the same
 * movies and posters imported in the built app's Library, the run record put into the app's
 * IndexedDB ('marquee' → 'runs'), then Compare: the run's row selected by name, and its detail
 * checked: per-label table, explained-variance chart with the kept count, 12 eigenposter canvases
 * with non-blank pixels, and test posters with their true and predicted groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMoviesCsv } from '../../src/lib/data/csv.ts';
import {
  runPosterExperiment,
  type PosterExperimentResult,
} from '../../src/lib/experiments/poster-runner.ts';
import type { AnyPosterSpec } from '../../src/lib/experiments/poster-spec.ts';
import '../../src/lib/models/node.ts';
import '../../src/lib/models/poster/kinds.ts';
import { useBackend } from '../../src/lib/platform/node.ts';
import { memoryPosterCache } from '../../src/lib/vision/cache.ts';
import { decodeJpeg } from '../../src/lib/vision/decode-node.ts';
import { SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const KAGGLE = join(SHARED, 'data/posters-kaggle');
const N = 60;
const RUN_NAME = 'e2e pca-svm posters';

let app: AppSession;
let page: Page;
let result: PosterExperimentResult;

/** The first N rows of labels.csv as CSV text and a temp file, and their poster files (read in place). */
function kaggleSubset(): { csvText: string; files: string[] } {
  const lines = readFileSync(join(KAGGLE, 'labels.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1, N + 1);
  const csvText = [lines[0], ...rows].join('\n') + '\n';
  const csv = join(mkdtempSync(join(tmpdir(), 'marquee-compare-posters-')), 'labels.csv');
  writeFileSync(csv, csvText);
  return {
    csvText,
    files: [csv, ...rows.map((r) => join(KAGGLE, 'posters', `${r.split(',')[0]}.jpg`))],
  };
}

const subset = kaggleSubset();

/** The studio's form of the spec (data: the library); the runner itself only reads `limit`, labels, model, split. */
const SPEC: AnyPosterSpec = {
  name: RUN_NAME,
  data: { library: true },
  labels: { groups: 'paper7' },
  model: { kind: 'pca-svm', params: { variance: 0.9 } },
  split: { testFraction: 0.25, seed: 3 },
  limit: N,
};

async function runInNode(): Promise<PosterExperimentResult> {
  await useBackend('wasm');
  const { movies } = await parseMoviesCsv(subset.csvText);
  return runPosterExperiment(SPEC, movies, {
    read: async (m) => {
      const f = join(KAGGLE, 'posters', `${m.imdbId}.jpg`);
      return existsSync(f) ? new Uint8Array(readFileSync(f)) : null;
    },
    decode: decodeJpeg,
    cache: memoryPosterCache(),
  });
}

beforeAll(async () => {
  const [a, r] = await Promise.all([
    startApp({ viewport: { width: 1400, height: 1000 } }),
    runInNode(),
  ]);
  app = a;
  page = a.page;
  result = r;
}, 300_000);

afterAll(() => app?.close());

/** Puts a finished run record into the app's library database (opened at its current version). */
async function putRun(p: Page, record: unknown): Promise<void> {
  await p.evaluate(
    (rec) =>
      new Promise<void>((ok, fail) => {
        const open = indexedDB.open('marquee');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          tx.objectStore('runs').put(rec);
          tx.oncomplete = () => (open.result.close(), ok());
          tx.onerror = () => fail(tx.error);
        };
      }),
    record,
  );
}

describe('Compare: a poster run in detail', () => {
  it('ran the real PCA + SVM baseline in Node', () => {
    expect(result.dataset.trainRows + result.dataset.testRows).toBeGreaterThan(40);
    expect(result.posters.pcaComponents).toBeGreaterThan(1);
    expect(result.posters.eigenposters?.components).toHaveLength(12);
    expect(result.posters.examples.length).toBeGreaterThan(5);
  });

  it('shows the per-label table, variance chart, eigenposters and test posters of the selected run', async () => {
    await page.goto(`${app.server.url}/#/library`);
    // The first load of a fresh build can be slow on a busy 2-core machine.
    await page.getByTestId('pick-files').waitFor({ state: 'attached', timeout: 90_000 });
    await page.getByTestId('pick-files').setInputFiles(subset.files);
    await page
      .getByTestId('import-summary')
      .getByText(/Posters/)
      .waitFor({ timeout: 120_000 });
    const now = Date.now();
    await putRun(page, {
      id: 'e2e-poster-run',
      createdAt: now,
      finishedAt: now,
      kind: 'posters',
      status: 'done',
      spec: SPEC,
      result: JSON.parse(JSON.stringify(result)) as unknown,
    });

    await page.getByRole('tab', { name: 'Compare' }).click();
    const table = page.getByTestId('runs-table');
    await table.waitFor({ timeout: 30_000 });
    await table.getByRole('button', { name: RUN_NAME, exact: true }).click();
    const detail = page.locator('[data-testid=run-detail][data-kind=posters]');
    await detail.waitFor({ timeout: 30_000 });

    // Per-label table: the paper's 7 groups with the run's own F1 figures.
    const rows = detail.getByTestId('per-label').locator('tbody tr');
    expect(await rows.count()).toBe(7);
    const first = result.test.perLabel[0]!;
    expect(await rows.first().innerText()).toContain(first.name);
    expect(await rows.first().innerText()).toContain(first.f1.toFixed(3));
    expect(await detail.getByTestId('poster-facts').innerText()).toMatch(
      new RegExp(`${result.dataset.trainRows} train / ${result.dataset.testRows} test`),
    );

    // Explained variance: a curve with a point per computed component, the kept count marked.
    const ev = detail.getByTestId('explained-variance');
    const k = result.posters.pcaComponents!;
    expect(await ev.locator('path.curve').getAttribute('d')).toMatch(/^M/);
    expect(await ev.locator('circle.chosen-dot').count()).toBe(1);
    expect(await ev.locator('text.chosen-label').textContent()).toBe(`${k} components kept`);
    expect(await ev.getByRole('img').getAttribute('aria-label')).toMatch(
      new RegExp(`${k} components kept reach \\d+(\\.\\d)? %, for a 90 % target`),
    );

    // Eigenposters: 12 canvases, each with many distinct colours on both sides of 0 (red and blue).
    const canvases = detail.getByTestId('eigenposters').locator('canvas');
    expect(await canvases.count()).toBe(12);
    const stats = await canvases.evaluateAll((els) =>
      (els as HTMLCanvasElement[]).map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set<number>();
        let reddish = 0;
        let bluish = 0;
        for (let i = 0; i < d.length; i += 4) {
          colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
          if (d[i]! > d[i + 2]! + 40) reddish++;
          if (d[i + 2]! > d[i]! + 40) bluish++;
        }
        return { w: c.width, h: c.height, colours: colours.size, reddish, bluish };
      }),
    );
    for (const [i, s] of stats.entries()) {
      expect([s.w, s.h]).toEqual([100, 148]);
      expect(s.colours).toBeGreaterThan(50);
      expect(s.reddish + s.bluish).toBeGreaterThan(1000); // of 14,800 pixels: not a blank or neutral image
      // PC 1 of posters is nearly one-signed (overall brightness); every later component is
      // orthogonal to it, so it must have both signs: red and blue pixels.
      if (i > 0) expect(Math.min(s.reddish, s.bluish)).toBeGreaterThan(100);
    }
    expect(await detail.getByTestId('eigenposters').innerText()).toMatch(/PC 1 · \d+(\.\d)? %/);

    // Test posters: thumbnails from the library and the run's true and predicted groups.
    const examples = detail.getByTestId('poster-example');
    expect(await examples.count()).toBe(result.posters.examples.length);
    for (const [i, e] of result.posters.examples.entries()) {
      const card = examples.nth(i);
      expect(await card.getAttribute('data-movie-key')).toBe(e.movieKey);
      const truth = await card.getByTestId('truth').innerText();
      const predicted = await card.getByTestId('predicted').innerText();
      for (const g of e.truth) expect(truth).toContain(g);
      for (const g of e.predicted) expect(predicted).toContain(g);
      for (const g of e.truth.filter((t) => !e.predicted.includes(t)))
        expect(truth).toContain(`○ ${g}`);
      for (const g of e.predicted.filter((t) => !e.truth.includes(t)))
        expect(predicted).toContain(`✗ ${g}`);
    }
    const img = examples.first().locator('img');
    await img.waitFor({ timeout: 30_000 });
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(
      true,
    );
    await page.screenshot({ path: join(SHOTS, 'compare-poster-detail.png'), fullPage: true });
  });
});
