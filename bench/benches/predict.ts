import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Bench, BenchContext } from '../types.ts';

const WARM_RUNS = 10;
const COLD_RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Picks one poster and waits for its card; returns the panel's drop → DOM-updated measure and its
 * end (ms after navigation start). The panel keeps earlier results, so they are cleared first:
 * each drop is timed with one card on the page, as before results were kept.
 */
async function predictOne(page: Page, file: string, name: string) {
  const clear = page.getByTestId('predict-clear');
  if (await clear.isEnabled()) await clear.click();
  await page.evaluate(() => performance.clearMeasures('marquee:predict'));
  const t0 = performance.now();
  await page.getByTestId('predict-file').setInputFiles(file);
  await page
    .locator(`[data-testid=predict-result][data-file="${name}"]`)
    .waitFor({ timeout: 60_000 });
  const outsideMs = performance.now() - t0;
  const m = await page.evaluate(() => {
    const e = performance.getEntriesByName('marquee:predict', 'measure').at(-1);
    const ready = performance.getEntriesByName('marquee:predict:ready', 'mark').at(-1);
    return e
      ? { ms: e.duration, endMs: e.startTime + e.duration, readyMs: ready?.startTime ?? NaN }
      : null;
  });
  if (!m) throw new Error('no marquee:predict measure: the panel did not finish');
  return { ...m, outsideMs };
}

/**
 * Like predictOne with Explain on: drop → the card's saliency map drawn on its canvas (the panel's
 * start mark to the poster's 'marquee:saliency:drawn' mark), plus the card's own timings.
 */
async function predictExplained(page: Page, file: string, name: string) {
  await page.evaluate(() => performance.clearMarks('marquee:saliency:drawn'));
  const r = await predictOne(page, file, name);
  const card = page.locator(`[data-testid=predict-result][data-file="${name}"]`);
  await card.locator('canvas[data-drawn]').waitFor({ timeout: 60_000 });
  const drawnMs = await page.evaluate(() => {
    const start = performance.getEntriesByName('marquee:predict:start', 'mark').at(-1)!;
    const drawn = performance.getEntriesByName('marquee:saliency:drawn', 'mark').at(-1)!;
    return drawn.startTime - start.startTime;
  });
  const saliencyMs = Number(await card.getAttribute('data-saliency-ms'));
  return { ...r, drawnMs, saliencyMs };
}

/** Sets the panel's Explain checkbox (saliency maps + posters like this one with each drop). */
async function setExplain(page: Page, on: boolean) {
  const box = page.getByTestId('predict-explain');
  if ((await box.isChecked()) !== on) await box.setChecked(on);
}

/** Opens #/predict and waits until the backbone and shipped model are loaded (file input enabled). */
async function openReady(page: Page, appUrl: string) {
  await page.goto(`${appUrl}/#/predict`);
  await page
    .locator('[data-testid=predict-file]:not([disabled])')
    .waitFor({ state: 'attached', timeout: 120_000 });
}

/** Files of the MobileNetV2-0.35 backbone in the model store's cache (net/model-store.ts), with their bytes. */
const cachedBackboneFiles = (page: Page) =>
  page.evaluate(async () => {
    const cache = await caches.open('marquee-models');
    let files = 0;
    let bytes = 0;
    for (const req of await cache.keys())
      if (req.url.includes('mobilenetv2-0.35')) {
        files++;
        bytes += (await (await cache.match(req))!.arrayBuffer()).byteLength;
      }
    return { files, bytes };
  });

async function run(ctx: BenchContext) {
  const posters = join(ctx.shared, 'data/posters-kaggle/posters');
  const ids = [
    'tt0089869',
    'tt0089885',
    'tt0089886',
    'tt0090094',
    'tt0090192',
    'tt0091338',
    'tt0091474',
    'tt0091544',
  ];
  const files = [...ids, ...ids]
    .slice(0, WARM_RUNS + 1)
    .map((id) => ({ path: join(posters, `${id}.jpg`), name: `${id}.jpg` }));
  const page = await ctx.newPage();
  // Backbone files requested on the network (page and its workers): some on the first visit, none after.
  const fetched: string[] = [];
  page
    .context()
    .on('request', (r) => void (r.url().includes('mobilenetv2-0.35') && fetched.push(r.url())));
  await openReady(page, ctx.appUrl);
  await setExplain(page, false);
  // First drop warms the kernels (wasm compile of the head's shapes); not counted.
  await predictOne(page, files[0]!.path, files[0]!.name);
  const warm: number[] = [];
  const outside: number[] = [];
  for (let i = 1; i <= WARM_RUNS; i++) {
    // Each drop starts from a cleared grid (predictOne), so its card is the only one.
    const f = files[i]!;
    const r = await predictOne(page, f.path, f.name);
    warm.push(r.ms);
    outside.push(r.outsideMs);
  }
  ctx.log(`warm drop → card (in page, ms): ${warm.map((v) => v.toFixed(0)).join(', ')}`);
  ctx.log(
    `warm setInputFiles → card seen by Playwright (ms): ${outside.map((v) => v.toFixed(0)).join(', ')}`,
  );
  const warmMs = median(warm);
  ctx.record({
    name: `warm drop to prediction shown, 1 poster (median of ${WARM_RUNS})`,
    value: warmMs,
    unit: 'ms',
    target: '< 150',
    pass: warmMs < 150,
    note: `Explain off; panel marks: file list in → result card in the DOM (decode, resize, MobileNetV2-0.35, head, calibration, rule, render); as Playwright sees it ${median(outside).toFixed(0)} ms`,
  });

  // Explain on: the same drops with Grad-CAM maps for every group and the top one drawn.
  await setExplain(page, true);
  await predictExplained(page, files[0]!.path, files[0]!.name); // warms the gradient kernels
  const drawn: number[] = [];
  const cam: number[] = [];
  for (let i = 1; i <= WARM_RUNS; i++) {
    const f = files[i]!;
    const r = await predictExplained(page, f.path, f.name);
    drawn.push(r.drawnMs);
    cam.push(r.saliencyMs);
  }
  ctx.log(`warm drop → saliency drawn (ms): ${drawn.map((v) => v.toFixed(0)).join(', ')}`);
  const drawnMs = median(drawn);
  ctx.record({
    name: `warm drop to prediction and saliency map shown, 1 poster (median of ${WARM_RUNS})`,
    value: drawnMs,
    unit: 'ms',
    target: '< 600',
    pass: drawnMs < 600,
    note: `Explain on: file list in → the top group's Grad-CAM map drawn over the poster; the worker's forward pass + 7 maps take ${median(cam).toFixed(0)} ms of it (card's data-saliency-ms); posters like this one are searched after the card shows`,
  });
  await setExplain(page, false);

  // The visit above downloaded the backbone once and the model store kept it in Cache Storage (no
  // service worker needed). Count those files before the cold loads, and watch the network during
  // them: a backbone file requested there would mean the figure is not "with the backbone cached".
  const cached = await cachedBackboneFiles(page);
  if (cached.files < 2)
    throw new Error(`backbone not cached after the first visit (${cached.files} files)`);
  const firstVisit = fetched.splice(0).length;
  const cold: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    await page.goto('about:blank');
    await openReady(page, ctx.appUrl);
    const f = files[i + 1]!;
    const r = await predictOne(page, f.path, f.name);
    cold.push(r.endMs);
    ready.push(r.readyMs);
  }
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  await page.context().close();
  ctx.log(
    `cold (cached) navigation → first card (ms): ${cold.map((v) => v.toFixed(0)).join(', ')}; → model ready: ${ready.map((v) => v.toFixed(0)).join(', ')}`,
  );
  const coldMs = median(cold);
  ctx.record({
    name: `first prediction after a cold page load, backbone cached (median of ${COLD_RUNS})`,
    value: coldMs,
    unit: 'ms',
    target: '< 3000',
    pass: coldMs < 3000,
    note: `visit once (backbone downloaded and kept by the model store), then ${COLD_RUNS} new page loads: navigation start → first result card; backbone + model ready at ${median(ready).toFixed(0)} ms; ${cached.files} backbone files (${(cached.bytes / 1e6).toFixed(2)} MB) in Cache Storage 'marquee-models' before the cold loads, ${fetched.length} backbone requests seen on the network during them (${firstVisit} on the first visit); service worker controls the page: ${controlled}`,
  });
}

/** Predict panel latency on the wasm backend: warm drop → shown, and a cold page load with cached weights → first prediction. */
export const predict: Bench = {
  name: 'predict',
  description:
    'Predict panel: warm drop-to-prediction latency (1 poster) and first prediction after a cold page load with the backbone cached',
  run,
};
