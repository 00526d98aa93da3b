import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sampleRss, treeRssBytes } from '../chromium-memory.ts';
import { syntheticPaperCsv } from '../synthetic.ts';
import type { Bench } from '../types.ts';

/**
 * Issue 19's targets are for 50,000 posters; generating that many here takes longer than a bench
 * run may on this 2-core machine, so the default is smaller (MARQUEE_BENCH_POSTERS overrides) and
 * memory is also reported per 1,000 posters.
 */
const POSTERS = Number(process.env.MARQUEE_BENCH_POSTERS ?? 5000);
const MOVIES = Math.max(POSTERS, Number(process.env.MARQUEE_BENCH_MOVIES ?? 20_000));
const MB = 1024 * 1024;

/** Generated posters (185×278 JPEGs with noise, ~TMDb w185 size) into an OPFS folder, as the picker's answer. */
export async function generatePosters(page: Page, n: number): Promise<void> {
  await page.evaluate(async (count) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('bench-posters', { create: true });
    const c = new OffscreenCanvas(185, 278);
    const ctx = c.getContext('2d')!;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 1; i <= count; i++) {
      ctx.fillStyle = `hsl(${(i * 37) % 360} 60% 45%)`;
      ctx.fillRect(0, 0, 185, 278);
      for (let k = 0; k < 40; k++) {
        ctx.fillStyle = `hsl(${Math.floor(rnd() * 360)} 70% ${Math.floor(rnd() * 80)}%)`;
        ctx.fillRect(rnd() * 185, rnd() * 278, rnd() * 60, rnd() * 60);
      }
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      const w = await (await folder.getFileHandle(`${i}.jpg`, { create: true })).createWritable();
      await w.write(blob);
      await w.close();
    }
    (window as unknown as { showDirectoryPicker: () => unknown }).showDirectoryPicker = async () =>
      folder;
  }, n);
}

const text = (page: Page, id: string) =>
  page
    .getByTestId(id)
    .innerText()
    .catch(() => '');

async function waitText(page: Page, id: string, re: RegExp, timeout = 1_800_000): Promise<void> {
  const t0 = Date.now();
  while (!re.test(await text(page, id))) {
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${re} in ${id}`);
    await page.waitForTimeout(250);
  }
}

/** Frames per second while the Library table scrolls at a steady 1,500 px/s for `seconds`. */
export async function scrollFps(page: Page, seconds: number): Promise<number> {
  return page.evaluate(async (s) => {
    const vp = document.querySelector('.viewport') as HTMLElement;
    return new Promise<number>((resolve) => {
      let frames = 0;
      const t0 = performance.now();
      const step = (t: number) => {
        frames++;
        vp.scrollTop = ((t - t0) / 1000) * 1500;
        if (t - t0 < s * 1000) requestAnimationFrame(step);
        else resolve((frames * 1000) / (t - t0));
      };
      requestAnimationFrame(step);
    });
  }, seconds);
}

/** Longest main-thread task during `action` (PerformanceObserver longtask). */
async function longestTask(page: Page, action: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __lt: number; __obs?: PerformanceObserver };
    w.__lt = 0;
    w.__obs?.disconnect();
    w.__obs = new PerformanceObserver((l) =>
      l.getEntries().forEach((e) => (w.__lt = Math.max(w.__lt, e.duration))),
    );
    w.__obs.observe({ type: 'longtask' });
  });
  await action();
  await page.waitForTimeout(300);
  return page.evaluate(() => (window as unknown as { __lt: number }).__lt);
}

/** Poster folder import (directory handle), table scrolling with thumbnails, streamed export and import. */
export const projectTransfer: Bench = {
  name: 'project-transfer',
  description: `${POSTERS.toLocaleString('en')} generated posters from a folder handle, ${MOVIES.toLocaleString('en')} movies; table fps; project export/import memory`,
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-transfer-'));
    const csv = join(dir, 'movies.csv');
    writeFileSync(csv, syntheticPaperCsv(MOVIES, 2000, 6));
    const page = await ctx.newPage();
    await page.goto(`${ctx.appUrl}/#/library`);
    await page.waitForFunction(
      () => performance.getEntriesByName('marquee:interactive').length > 0,
    );
    // tsx names the functions declared inside evaluate() bodies with an __name helper the page lacks.
    await page.evaluate('window.__name = (f) => f');
    await page.getByTestId('pick-files').setInputFiles(csv);
    await waitText(page, 'library-counts', new RegExp(`^${MOVIES.toLocaleString('en')} movies`));
    ctx.log(`generating ${POSTERS} posters in OPFS…`);
    await generatePosters(page, POSTERS);

    let seconds = 0;
    const longest = await longestTask(page, async () => {
      const t0 = Date.now();
      await page.getByText('Choose poster folder…').click();
      await waitText(page, 'library-counts', new RegExp(`${POSTERS.toLocaleString('en')} posters`));
      seconds = (Date.now() - t0) / 1000;
    });
    const rate = POSTERS / seconds;
    ctx.record({
      name: `poster import from a directory handle (${POSTERS.toLocaleString('en')} posters, thumbnails made)`,
      value: rate,
      unit: 'posters/s',
      target: '≥ 400',
      pass: rate >= 400,
    });
    ctx.record({
      name: 'longest main-thread task during the folder import',
      value: longest,
      unit: 'ms',
      target: '≤ 200',
      pass: longest <= 200,
    });

    await page.getByLabel('with poster only').check();
    await page.waitForTimeout(500);
    const fps = await scrollFps(page, 5);
    ctx.record({
      name: 'Library table scrolling with thumbnails (1,500 px/s, first pass)',
      value: fps,
      unit: 'fps',
      target: '≥ 50',
      pass: fps >= 50,
    });

    // Export: through a save picker answered with an OPFS file (streams to disk), then through
    // the Blob fallback (a download), each with the browser's resident memory sampled.
    await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      (window as unknown as { showSaveFilePicker: () => unknown }).showSaveFilePicker = async () =>
        root.getFileHandle('bench-export.zip', { create: true });
    });
    await page.waitForTimeout(2000);
    const idle = treeRssBytes(ctx.browserPid());
    for (const mode of ['save picker (OPFS file)', 'Blob download']) {
      if (mode === 'Blob download')
        await page.evaluate(
          () => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker,
        );
      const rss = sampleRss(ctx.browserPid());
      const t0 = Date.now();
      const download =
        mode === 'Blob download' ? page.waitForEvent('download', { timeout: 1_800_000 }) : null;
      await page.getByTestId('export-bundle').click();
      await waitText(page, 'transfer-message', /^Exported/);
      const zip = download ? join(dir, 'export.zip') : null;
      if (download && zip) await (await download).saveAs(zip); // the artifact goes with its context
      const secs = (Date.now() - t0) / 1000;
      const peak = rss.stop() - idle;
      ctx.record({
        name: `export project, ${mode}: browser memory above idle at peak`,
        value: peak / MB,
        unit: 'MB',
        target: '≤ 1024 at 50,000 posters',
        note: `${((peak / MB / POSTERS) * 1000).toFixed(1)} MB per 1,000 posters; ${secs.toFixed(1)} s`,
      });
      if (zip) {
        // Import in a fresh profile (same browser, so the same process tree is measured).
        await page.context().close();
        await new Promise((r) => setTimeout(r, 2000));
        const base = treeRssBytes(ctx.browserPid());
        const fresh = await ctx.newPage();
        await fresh.goto(`${ctx.appUrl}/#/library`);
        await fresh.waitForFunction(
          () => performance.getEntriesByName('marquee:interactive').length > 0,
        );
        const rss2 = sampleRss(ctx.browserPid());
        const t1 = Date.now();
        await fresh.getByTestId('import-bundle').setInputFiles(zip);
        await waitText(fresh, 'transfer-message', /^Imported/);
        const s2 = (Date.now() - t1) / 1000;
        const peak2 = rss2.stop() - base;
        ctx.record({
          name: 'import project into a fresh profile: browser memory above idle at peak',
          value: peak2 / MB,
          unit: 'MB',
          target: '≤ 1024 at 50,000 posters',
          note: `${((peak2 / MB / POSTERS) * 1000).toFixed(1)} MB per 1,000 posters (incl. a new tab); ${s2.toFixed(1)} s, ${(POSTERS / s2).toFixed(0)} posters/s`,
        });
        ctx.log(await text(fresh, 'transfer-message'));
        await fresh.context().close();
      }
    }
  },
};
