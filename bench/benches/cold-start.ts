import type { Bench } from '../types.ts';

const RUNS = 5;

/** Cold start of the built app: fresh browser context (no cache, no service worker) to interactive. */
export const coldStart: Bench = {
  name: 'cold-start',
  description:
    'Built app on localhost, fresh context, navigation start to interactive (library opened)',
  async run(ctx) {
    const times: number[] = [];
    let jsBytes = 0;
    let tfLoaded = false;
    for (let i = 0; i < RUNS; i++) {
      const page = await ctx.newPage();
      await page.goto(`${ctx.appUrl}/#/library`);
      await page.waitForFunction(
        () => performance.getEntriesByName('marquee:interactive').length > 0,
        null,
        { timeout: 30_000 },
      );
      const r = await page.evaluate(() => {
        const mark = performance.getEntriesByName('marquee:interactive')[0]!;
        const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const js = res.filter((e) => e.name.endsWith('.js'));
        return {
          ms: mark.startTime,
          jsBytes: js.reduce((s, e) => s + (e.encodedBodySize || e.transferSize), 0),
          names: js.map((e) => e.name),
          tf: typeof (globalThis as { tf?: unknown }).tf !== 'undefined',
        };
      });
      times.push(r.ms);
      jsBytes = r.jsBytes;
      tfLoaded ||= r.tf || r.names.some((n) => /tfjs|backend-w(ebgpu|asm)/i.test(n));
      await page.context().close();
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    ctx.record({
      name: 'cold start to interactive (median of 5)',
      value: median,
      unit: 'ms',
      target: '< 1500',
      pass: median < 1500,
    });
    ctx.record({
      name: 'JS loaded at start-up',
      value: jsBytes / 1024,
      unit: 'KiB',
      note: tfLoaded ? 'tfjs loaded at start!' : 'tfjs not loaded at start',
      pass: !tfLoaded,
    });
  },
};
