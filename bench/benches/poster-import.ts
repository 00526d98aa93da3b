import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench } from '../types.ts';

/** Imports all Kaggle posters through the app's file picker into IndexedDB, watching main-thread responsiveness. */
export const posterImport: Bench = {
  name: 'poster-import',
  description: 'All posters in ../shared/data/posters-kaggle through the Library file picker into IndexedDB',
  async run(ctx) {
    const dir = join(ctx.shared, 'data/posters-kaggle/posters');
    const files = readdirSync(dir).map((f) => join(dir, f));
    const page = await ctx.newPage();
    await page.goto(`${ctx.appUrl}/#/library`);
    await page.waitForFunction(() => performance.getEntriesByName('marquee:interactive').length > 0);
    // Responsiveness probe: a 16 ms timer on the main thread; its worst lateness is the longest freeze.
    await page.evaluate(() => {
      const w = window as unknown as { __maxGap: number; __longTasks: number };
      w.__maxGap = 0;
      w.__longTasks = 0;
      let last = performance.now();
      setInterval(() => {
        const now = performance.now();
        w.__maxGap = Math.max(w.__maxGap, now - last - 16);
        last = now;
      }, 16);
      new PerformanceObserver((l) => l.getEntries().forEach((e) => (w.__longTasks += e.duration))).observe({ type: 'longtask' });
    });
    const t0 = Date.now();
    await page.getByTestId('pick-files').setInputFiles(files);
    await page.getByTestId('import-summary').getByText(/Posters/).waitFor({ timeout: 600_000 });
    const seconds = (Date.now() - t0) / 1000;
    const summary = await page.getByTestId('import-summary').innerText();
    const added = Number(/Posters: ([\d,]+) added/.exec(summary)?.[1]?.replace(/,/g, '') ?? 0);
    const { maxGap, longTasks } = await page.evaluate(() => {
      const w = window as unknown as { __maxGap: number; __longTasks: number };
      return { maxGap: w.__maxGap, longTasks: w.__longTasks };
    });
    ctx.log(`imported ${added} of ${files.length} posters in ${seconds.toFixed(1)} s`);
    const rate = added / seconds;
    ctx.record({ name: `poster import (${files.length} posters, picker → IndexedDB)`, value: rate, unit: 'posters/s', target: '≥ 300', pass: rate >= 300 });
    ctx.record({ name: 'longest main-thread freeze during import', value: maxGap, unit: 'ms', note: `long tasks total ${longTasks.toFixed(0)} ms` });
    await page.context().close();
  },
};
