/**
 * A poster run's detail in Compare, from a REAL result: the PCA + SVM baseline run in Node by
 * runPosterExperiment on 60 made-up movies in Kaggle's labels.csv layout and their posters (made
 * by the test, src/test/posters.ts labelledPosters), the same movies and posters imported in the
 * built app's Library, the run record put into the app's
 * IndexedDB ('marquee' → 'runs'), then Compare: the run's row selected by name, and its detail
 * checked: per-label table, explained-variance chart with the kept count, 12 eigenposter canvases
 * with non-blank pixels, and test posters with their true and predicted groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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
import { labelledPosterFiles, SHOTS, startApp, type AppSession } from './app.ts';

const N = 60;
const RUN_NAME = 'e2e pca-svm posters';

let app: AppSession;
let page: Page;
let result: PosterExperimentResult;

/** N made-up movies as Kaggle's labels.csv (text and files) and their posters. */
function madeSubset(): { csvText: string; files: string[]; bytes: Map<string, Uint8Array> } {
  const files = labelledPosterFiles(N);
  return {
    csvText: readFileSync(files[0]!, 'utf8'),
    files,
    bytes: new Map(files.slice(1).map((f) => [basename(f, '.jpg'), readFileSync(f)])),
  };
}

const subset = madeSubset();

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
      const bytes = m.imdbId ? subset.bytes.get(m.imdbId) : undefined;
      return bytes ? new Uint8Array(bytes) : null;
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

  it('shows the run’s ranking figures, ROC / precision–recall / reliability charts, readable by keyboard', async () => {
    const m = result.test.ranking!;
    const detail = page.locator('[data-testid=run-detail][data-kind=posters]');
    const figures = detail.getByTestId('ranking-figures');
    await figures.waitFor({ timeout: 30_000 });
    expect(await figures.innerText()).toContain(`ROC AUC micro\n${m.rocAuc.micro!.toFixed(3)}`);
    expect(await figures.innerText()).toContain(`Log loss\n${m.logLoss.toFixed(3)}`);
    const rows = detail.getByTestId('ranking-per-label').locator('tbody tr');
    expect(await rows.count()).toBe(7);
    const c0 = m.confusion[0]!;
    expect(await rows.first().locator('td').allInnerTexts()).toEqual(
      expect.arrayContaining([String(c0.tp), String(c0.fp), String(c0.fn), String(c0.tn)]),
    );

    // Three charts; every group with both classes in the 15 test posters has a ROC path, plus micro.
    const roc = detail.getByTestId('unit-curves-roc');
    const withRoc = result.test.curves!.roc.filter((c) => c.x.length).length;
    expect(await roc.locator('path').count()).toBe(withRoc + 1);
    expect(await detail.getByTestId('unit-curves-pr').locator('path').count()).toBe(8);
    const rel = detail.getByTestId('unit-curves-reliability');
    expect(await rel.locator('circle').count()).toBeGreaterThan(3);

    // Keyboard: the ROC chart is a slider over the pooled curve's points.
    const slider = roc.getByRole('slider');
    await slider.focus();
    await page.keyboard.press('End');
    const micro = result.test.curves!.microRoc;
    expect(await slider.getAttribute('aria-valuetext')).toBe(
      `micro (all labels): false positive rate ${micro.x.at(-1)!.toFixed(3)}, true positive rate ${micro.y.at(-1)!.toFixed(3)}`,
    );
    await page.keyboard.press('ArrowLeft');
    expect(await slider.getAttribute('aria-valuenow')).toBe(String(micro.x.length - 2));

    // One group alone: its curve and its decision point (a ring) on ROC and PR.
    const label = result.test.perLabel.findIndex((_, i) => result.test.curves!.roc[i]!.x.length);
    await detail.getByTestId('curve-focus').selectOption(String(label));
    expect(await roc.locator('path').count()).toBe(1);
    expect(await roc.locator('circle.operating').count()).toBe(1);
    await page.setViewportSize({ width: 1280, height: 800 });
    await detail.getByTestId('ranking-figures').evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'compare-ranking-1280.png') });
    await page.setViewportSize({ width: 1400, height: 1000 });
    await detail.getByTestId('curve-focus').selectOption('');
  });

  it('the Ranking & calibration column set shows the run’s AUC and AP; an old run shows dashes and a note', async () => {
    const old = JSON.parse(JSON.stringify(result)) as PosterExperimentResult;
    delete old.test.ranking;
    delete old.test.curves;
    const now = Date.now();
    await putRun(page, {
      id: 'e2e-old-poster-run',
      createdAt: now,
      finishedAt: now,
      kind: 'posters',
      status: 'done',
      spec: { ...SPEC, name: 'old run' },
      result: old,
    });
    await page.reload();
    await page.getByRole('tab', { name: 'Compare' }).click();
    const table = page.getByTestId('runs-table');
    await table.waitFor({ timeout: 30_000 });
    await page.getByText('Ranking & calibration').click();
    expect(await table.locator('thead th').allInnerTexts()).toEqual(
      expect.arrayContaining(['ROC AUC micro', 'AP macro', 'Log loss', 'ECE']),
    );
    const m = result.test.ranking!;
    const newRow = table.locator('tbody tr', { hasText: RUN_NAME });
    expect(await newRow.innerText()).toContain(m.rocAuc.micro!.toFixed(3));
    expect(await newRow.innerText()).toContain(m.averagePrecision.macro!.toFixed(3));
    const oldRow = table.locator('tbody tr', { hasText: 'old run' });
    expect((await oldRow.locator('td.num').allInnerTexts()).every((t) => t === '—')).toBe(true);
    await oldRow.getByRole('button', { name: 'old run', exact: true }).click();
    expect(await page.getByTestId('no-ranking').innerText()).toMatch(/saved before/);
  });

  it('the ranking section fits a 400 px wide screen', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    const table = page.getByTestId('runs-table');
    await table.getByRole('button', { name: RUN_NAME, exact: true }).click();
    const curves = page.getByTestId('score-curves');
    await curves.waitFor({ timeout: 30_000 });
    // The charts stack in one column, each within the viewport.
    const boxes = await curves
      .locator('figure')
      .evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })),
      );
    expect(boxes).toHaveLength(3);
    for (const b of boxes) expect(b.right).toBeLessThanOrEqual(400);
    expect(new Set(boxes.map((b) => Math.round(b.left))).size).toBe(1);
    await curves.evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'compare-ranking-400.png') });
    await page.setViewportSize({ width: 1400, height: 1000 });
  });
});
