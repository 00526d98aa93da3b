import type { Page } from 'playwright-core';
import { withDevServer } from '../dev-server.ts';
import type { Bench } from '../types.ts';
import type { CnnResult, ExtractionResult, ThroughputResult } from '../pages/posters.ts';

const BACKEND = 'wasm'; // the fastest backend here (software GPU adapters: see cnn-train)
const BATCH = 16; // as native_reference.py's features_images_per_s
/** Posters extracted before the first pass is stopped, to show that a later pass resumes. */
const STOP_AFTER = 1024;

type PageFns = {
  runThroughput: (b: string, batch: number, w: number, s: number) => Promise<ThroughputResult>;
  runExtraction: (
    b: string,
    db: string,
    batch: number,
    stop: number | null,
  ) => Promise<ExtractionResult>;
  runCnnEpoch: (b: string, n: number) => Promise<CnnResult>;
};

/**
 * MobileNetV2-0.35 poster features at 224×224 on wasm: the network alone, then all 6,826 Kaggle
 * posters end to end into the library's feature store (stopped after STOP_AFTER, resumed in a
 * fresh page, then a second, cached pass), and the paper's initial CNN on real posters. The page
 * is not part of the built app, so a Vite dev server with the repo's config serves it.
 */
export const posters: Bench = {
  name: 'posters',
  description:
    'MobileNetV2-0.35 poster features/s (network, end to end, resumed, cached) and initial CNN training on real posters, wasm',
  async run(ctx) {
    await withDevServer(async (url) => {
      const db = `marquee-bench-posters-${Date.now()}`;
      const open = async (): Promise<Page> => {
        const page = await ctx.newPage();
        await page.goto(`${url}bench/pages/posters.html`);
        await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
        return page;
      };
      const call = <K extends keyof PageFns>(page: Page, fn: K, ...args: Parameters<PageFns[K]>) =>
        page.evaluate(
          ([f, a]) => (window as unknown as Record<string, (...x: unknown[]) => unknown>)[f]!(...a),
          [fn, args] as const,
        ) as ReturnType<PageFns[K]>;
      const page = await open();
      const t = await call(page, 'runThroughput', BACKEND, BATCH, 2, 10);
      ctx.record({
        name: `MobileNetV2-0.35 features at 224, ${t.backend}, batch ${BATCH} (network only)`,
        value: t.imagesPerSecond,
        unit: 'images/s',
        ref: 'mobilenet_v2_0.35_features_images_per_s_224',
        target: '≥ 0.3× native speed',
        note: `${t.msPerBatch.toFixed(0)} ms/batch, ${t.dims}-d`,
      });

      const first = await call(page, 'runExtraction', BACKEND, db, BATCH, STOP_AFTER);
      // A reload: nothing but IndexedDB carries over (a new context would get empty storage).
      await page.reload();
      await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
      const resumed = await call(page, 'runExtraction', BACKEND, db, BATCH, null);
      ctx.log(
        `pass 1: stopped after ${first.computed}; resumed: ${resumed.fromCache} cached, ${resumed.computed} computed`,
      );
      const whole = first.computed + resumed.computed;
      ctx.record({
        name: `all ${first.total} Kaggle posters → features → IndexedDB, first pass (fetch, decode, resize, extract, store)`,
        value: (whole * 1000) / (first.elapsedMs + resumed.elapsedMs),
        unit: 'posters/s',
        ref: 'mobilenet_v2_0.35_features_images_per_s_224',
        note: `stopped after ${first.computed}, resumed in a new page with ${resumed.fromCache} cached and ${resumed.computed} computed (${whole === first.total ? 'none twice' : `${whole - first.total} twice`}); ${((first.elapsedMs + resumed.elapsedMs) / 1000).toFixed(0)} s`,
        target: 'resume computes none twice',
        pass: whole === first.total && resumed.fromCache === first.computed,
      });
      const cached = await call(page, 'runExtraction', BACKEND, db, BATCH, null);
      ctx.record({
        name: `all ${cached.total} Kaggle posters, second pass (every vector from IndexedDB)`,
        value: cached.postersPerSecond,
        unit: 'posters/s',
        note: `${cached.fromCache} cached, ${cached.computed} computed, ${(cached.elapsedMs / 1000).toFixed(1)} s`,
        target: 'all cached',
        pass: cached.computed === 0 && cached.fromCache === cached.total,
      });

      const c = await call(page, 'runCnnEpoch', BACKEND, 256);
      ctx.record({
        name: `paper's initial CNN, 1 epoch on ${c.posters} real posters 148×100, batch 16, ${BACKEND} (poster trainer)`,
        value: c.postersPerSecond,
        unit: 'posters/s',
        ref: 'cnn_paper_initial_train_images_per_s_batch16_148x100',
        // Whole epochs through the trainer, first steps (weight packing, warm-up) included, plus the
        // validation pass: on 256 posters these weigh more than in the warm-step figure of cnn-train.
        note: `loss ${c.loss.toFixed(3)}; includes warm-up and the validation pass`,
      });
      await page.evaluate(
        (name) =>
          new Promise((r) => {
            const q = indexedDB.deleteDatabase(name);
            q.onsuccess = q.onerror = q.onblocked = r;
          }),
        db,
      );
      await page.context().close();
    });
  },
};
