import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { withDevServer } from '../dev-server.ts';
import type { Bench, BenchContext } from '../types.ts';

interface Workload {
  id: 'cnn' | 'mobilenet' | 'style';
  label: string;
  page: string;
  /** Runs once in the page; returns the figure (rate or ms). */
  run: (page: Page) => Promise<number>;
  unit: string;
  /** Lower is better (a duration): the speed ratio is native / ours. */
  isTime: boolean;
  /** Issue 14's target at all cores, as a speed ratio against native. */
  target: number;
}

const call = (page: Page, fn: string, ...args: unknown[]) =>
  page.evaluate(
    ([f, a]) =>
      (window as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[f]!(...a),
    [fn, args] as const,
  );

const WORKLOADS: Workload[] = [
  {
    id: 'cnn',
    label: "paper's initial CNN training (148×100, batch 16)",
    page: 'cnn.html',
    run: async (p) =>
      ((await call(p, 'runCnnTrain', 'wasm', 2, 8)) as { postersPerSecond: number })
        .postersPerSecond,
    unit: 'posters/s',
    isTime: false,
    target: 0.6,
  },
  {
    id: 'mobilenet',
    label: 'MobileNetV2-0.35 features (224², batch 16)',
    page: 'posters.html',
    run: async (p) =>
      ((await call(p, 'runThroughput', 'wasm', 16, 1, 4)) as { imagesPerSecond: number })
        .imagesPerSecond,
    unit: 'images/s',
    isTime: false,
    target: 0.7,
  },
  {
    id: 'style',
    label: 'VGG19 to block3_conv4 style loss+gradient (256²)',
    page: 'style-eval.html',
    run: async (p) =>
      ((await call(p, 'runStyleEval', 'wasm', 256, 3)) as { msPerEval: number }).msPerEval,
    unit: 'ms',
    isTime: true,
    target: 0.8,
  },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The native figure for one workload with `threads` PyTorch threads (bench/native-threads.py). */
function native(shared: string, threads: number, id: Workload['id']): number {
  const script = resolve('bench/native-threads.py');
  const r = spawnSync('/usr/bin/python3', [script, shared, String(threads), id], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`native ${id} failed: ${r.stderr.slice(-400)}`);
  const out = JSON.parse(r.stdout) as Record<string, number>;
  const key = Object.keys(out).find((k) => k !== 'threads' && k !== 'loadavg')!;
  return out[key]!;
}

async function browser(
  ctx: BenchContext,
  url: string,
  w: Workload,
  threads: number,
): Promise<number> {
  const page = await ctx.newPage();
  try {
    // The dev server transforms the page's modules on first use: minutes on a loaded machine.
    await page.goto(`${url}bench/pages/${w.page}?threads=${threads}`, { timeout: 300_000 });
    await page.waitForSelector('body[data-ready=true]', { timeout: 300_000 });
    return await w.run(page);
  } finally {
    await page.context().close();
  }
}

/**
 * Issue 14's scaling table: the CNN training, MobileNetV2 features and VGG19 style workloads on
 * wasm with 1 thread and with all cores (capped at 8), each next to PyTorch measured in the same
 * run with the same thread count, back to back (A B A B, medians), the load average recorded.
 */
export const threads: Bench = {
  name: 'threads',
  description:
    'wasm with 1 thread and all cores vs PyTorch with the same threads (A B A B medians)',
  async run(ctx) {
    // Chromium reports the OS's logical cores; the wasm plan caps them at 8 (platform/threads.ts).
    const cores = Math.min(availableParallelism(), 8);
    const counts = cores > 1 ? [1, cores] : [1];
    await withDevServer(async (url) => {
      for (const w of WORKLOADS) {
        for (const t of counts) {
          const ours: number[] = [];
          const theirs: number[] = [];
          const load: number[] = [];
          for (let rep = 0; rep < 2; rep++) {
            load.push(loadavg()[0]!);
            ours.push(await browser(ctx, url, w, t));
            theirs.push(native(ctx.shared, t, w.id));
          }
          const [a, b] = [median(ours), median(theirs)];
          const speed = w.isTime ? b / a : a / b;
          const allCores = t === counts.at(-1) && t > 1;
          ctx.record({
            name: `${w.label}, wasm ${t} thread${t === 1 ? '' : 's'}`,
            value: a,
            unit: w.unit,
            ...(allCores ? { target: `≥ ${w.target}× native speed`, pass: speed >= w.target } : {}),
            note: `${speed.toFixed(2)}× PyTorch with ${t} thread${t === 1 ? '' : 's'} (${b.toFixed(w.isTime ? 0 : 1)} ${w.unit}); A B A B: ours ${ours.map((x) => x.toFixed(1)).join(', ')}, native ${theirs.map((x) => x.toFixed(1)).join(', ')}; load average ${load.map((x) => x.toFixed(1)).join(', ')}`,
          });
        }
      }
    });
  },
};
