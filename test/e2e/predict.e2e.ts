/**
 * Predict journey in the built app: three held-out Kaggle posters picked through the panel's file
 * input give the probabilities `npm run predict` gives in Node for the same files (within 1e-4; the
 * CSV has 6 decimals), and bad files each get a message while a good poster in the same drop
 * still predicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { ModelCard } from '../../src/lib/predict/card.ts';
import { predictedLabels } from '../../src/lib/predict/predictor.ts';
import { missingShared, SHARED, SHOTS, startApp, type AppSession } from './app.ts';

const noData = missingShared(
  import.meta.url,
  'the Predict journey on three held-out Kaggle posters (parity with npm run predict, bad files, model export)',
  'data/posters-kaggle/posters',
);

const POSTERS = join(SHARED, 'data/posters-kaggle/posters');
const MODEL = resolve('public/models/marquee-poster-v1');
const card = JSON.parse(readFileSync(join(MODEL, 'card.json'), 'utf8')) as ModelCard;
/** Three Kaggle posters from the card's held-out check subset (never trained on); ids are movie keys. */
const IDS = card
  .check!.ids.filter((k) => k.startsWith('imdb:'))
  .slice(0, 3)
  .map((k) => k.slice(5));

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  page = app.page;
});

afterAll(() => app?.close());

/** `npm run predict` on a folder; returns file → probabilities parsed from its CSV. */
async function predictInNode(dir: string): Promise<Map<string, number[]>> {
  const out = join(dir, 'out.csv');
  const args = [
    '--import',
    'tsx',
    'scripts/predict.ts',
    '--model',
    MODEL,
    '--posters',
    join(dir, 'in'),
  ];
  await new Promise<void>((ok, fail) => {
    const child = spawn(
      process.execPath,
      [...args, '--out', out], // the backbone the site ships, as the app uses
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`predict exited ${code}`))));
  });
  const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  return new Map(rows.map((r) => [r.file!, card.labels.map((l) => Number(r[l]))]));
}

/** file → full-precision probabilities from the result cards' data attribute. */
async function shownProbabilities(p: Page): Promise<Map<string, number[]>> {
  const cards = await p
    .getByTestId('predict-result')
    .evaluateAll((els) =>
      els.map((e) => [
        e.getAttribute('data-file') ?? '',
        e.getAttribute('data-probabilities') ?? '',
      ]),
    );
  return new Map(cards.map(([f, json]) => [f!, JSON.parse(json!) as number[]]));
}

describe.skipIf(noData)('Predict journey: real posters, parity with the CLI, bad inputs', () => {
  it('shows the same probabilities as npm run predict for three held-out posters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-predict-'));
    const inDir = join(dir, 'in');
    mkdirSync(inDir);
    for (const id of IDS) symlinkSync(join(POSTERS, `${id}.jpg`), join(inDir, `${id}.jpg`));
    const node = predictInNode(dir); // runs while the page loads the backbone

    await page.goto(`${app.server.url}/#/predict`);
    await page.getByTestId('predict-status').getByText(/ready/).waitFor({ timeout: 60_000 });
    await page.getByTestId('predict-file').setInputFiles(IDS.map((id) => join(inDir, `${id}.jpg`)));
    await page.getByTestId('predict-result').nth(2).waitFor({ timeout: 30_000 });

    const shown = await shownProbabilities(page);
    const expected = await node;
    expect([...shown.keys()].sort()).toEqual(IDS.map((id) => `${id}.jpg`).sort());
    for (const [file, probs] of shown) {
      const ref = expected.get(file)!;
      expect(probs).toHaveLength(7);
      probs.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-4));
    }
    // The bars show the same numbers as text (1 decimal percent).
    const firstBars = await page.getByTestId('predict-result').first().innerText();
    const firstFile = [...shown.keys()][0]!;
    expect(firstBars).toContain(`${(shown.get(firstFile)![0]! * 100).toFixed(1)}%`);
    // The predicted line lists exactly the groups the card's rule picks from those probabilities.
    const above = predictedLabels(shown.get(firstFile)!, card);
    const line = await page
      .getByTestId('predict-result')
      .first()
      .getByTestId('predicted')
      .innerText();
    expect(line).toBe(
      `Predicted: ${above.length ? above.join(' · ') : 'no group above its threshold'}`,
    );
    // The bars rank the groups from the most to the least probable and mark the predicted ones.
    const rows = await page
      .getByTestId('predict-result')
      .first()
      .locator('g[data-label]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-label')!, e.getAttribute('data-predicted')!]),
      );
    const p = shown.get(firstFile)!;
    const ranked = [...card.labels].sort(
      (a, b) => p[card.labels.indexOf(b)]! - p[card.labels.indexOf(a)]!,
    );
    expect(rows.map(([l]) => l)).toEqual(ranked);
    expect(
      rows
        .filter(([, on]) => on === 'true')
        .map(([l]) => l)
        .sort(),
    ).toEqual([...above].sort());
    if (card.decision)
      expect(await page.getByTestId('decision-rule').innerText()).toBe(card.decision.name);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'predict-ranked-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'predict-ranked-400.png'), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 1000 }); // startApp's default again
  });

  it('gives each bad file its message and still predicts the good poster in the same drop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-predict-bad-'));
    const good = readFileSync(join(POSTERS, `${IDS[0]}.jpg`));
    const png = new Uint8Array(33); // PNG signature + IHDR claiming 20000×20000 (as in posters.test.ts)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 20000);
    new DataView(png.buffer).setUint32(20, 20000);
    png.set([8, 6, 0, 0, 0], 24);
    const files: [string, Uint8Array | string][] = [
      ['notes.jpg', 'this is a text file, not a poster'],
      ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'],
      ['cut.jpg', good.subarray(0, good.length >> 1)],
      ['empty.jpg', ''],
      ['huge.png', png],
      ['good.jpg', good],
    ];
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    await page.getByTestId('predict-file').setInputFiles(files.map(([n]) => join(dir, n)));
    await page.getByTestId('predict-errors').waitFor({ timeout: 30_000 });
    await page.getByTestId('predict-result').first().waitFor();

    const errors = await page.getByTestId('predict-errors').innerText();
    expect(errors).toMatch(/notes\.jpg: not an image/);
    expect(errors).toMatch(/logo\.svg: SVG is not supported/);
    expect(errors).toMatch(/cut\.jpg: truncated or corrupt JPEG/);
    expect(errors).toMatch(/empty\.jpg: empty file \(0 bytes\)/);
    expect(errors).toMatch(/huge\.png: image too large: 20000×20000 px/);
    expect(errors).toMatch(/^Latest drop: 5 files of 6 could not be predicted/);
    // The good poster comes in front of the first test's three, which are kept.
    const shown = await shownProbabilities(page);
    expect([...shown.keys()]).toEqual(['good.jpg', ...IDS.map((id) => `${id}.jpg`)]);
    expect(shown.get('good.jpg')).toHaveLength(7);
    await page.screenshot({ path: join(SHOTS, 'predict.png'), fullPage: true });

    // The page keeps working: the next drop predicts again, and the errors were about the last one.
    await page.getByTestId('predict-file').setInputFiles(join(POSTERS, `${IDS[1]}.jpg`));
    await expect.poll(() => page.getByTestId('predict-result').count()).toBe(5);
    expect(await page.getByTestId('predict-result').first().getAttribute('data-file')).toBe(
      `${IDS[1]}.jpg`,
    );
    expect(await page.getByTestId('predict-errors').count()).toBe(0);
  });

  it('exports the shipped model, imports it back as a library model, and predicts the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-export-'));
    const shipped = page.locator('[data-testid=model-row][data-id=shipped]');
    const saved: string[] = [];
    const done = new Promise<void>((ok) => {
      page.on('download', async (d) => {
        const path = join(dir, d.suggestedFilename());
        await d.saveAs(path);
        saved.push(path);
        if (saved.length === 3) ok();
      });
    });
    await shipped.getByRole('button', { name: 'Export', exact: true }).click();
    await done;
    expect(saved.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'card.json',
      'model.json',
      'weights.bin',
    ]);

    // A card alone is refused with its reason; the active model stays.
    await page.getByTestId('model-import').setInputFiles(join(dir, 'card.json'));
    await page
      .getByTestId('model-problems')
      .getByText(/missing model.json/)
      .waitFor();

    await page.getByTestId('model-import').setInputFiles(saved);
    await page.getByTestId('model-row').nth(1).waitFor();
    expect(await page.getByTestId('model-problems').count()).toBe(0);
    // The imported model becomes the active one once the worker has loaded it.
    await page
      .getByTestId('model-row')
      .nth(1)
      .locator('input:checked')
      .waitFor({ state: 'attached' });
    const file = join(POSTERS, `${IDS[2]}.jpg`);
    await page.getByTestId('predict-file').setInputFiles(file);
    await page.locator(`[data-testid=predict-result][data-file="${IDS[2]}.jpg"]`).waitFor();
    const imported = (await shownProbabilities(page)).get(`${IDS[2]}.jpg`)!;
    await shipped.locator('input').check();
    await page.getByTestId('predict-file').setInputFiles(file);
    await page.locator(`[data-testid=predict-result][data-file="${IDS[2]}.jpg"]`).waitFor();
    const original = (await shownProbabilities(page)).get(`${IDS[2]}.jpg`)!;
    expect(imported).toEqual(original); // same float16 weights, same kernels: bit-identical
    await page.screenshot({ path: join(SHOTS, 'predict-models.png'), fullPage: true });
  });
});
