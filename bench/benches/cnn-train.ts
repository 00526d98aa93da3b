import { withDevServer } from '../dev-server.ts';
import type { Bench } from '../types.ts';
import type { CnnTrainResult } from '../pages/cnn.ts';

/** backend → [warm-up steps, timed steps]; the software GPU adapters take ~8 s a step here. */
const PLAN: Array<['wasm' | 'webgl' | 'webgpu', number, number]> = [
  ['wasm', 2, 12],
  ['webgl', 1, 2],
  ['webgpu', 1, 2],
];

/** Backends to run, e.g. CNN_TRAIN_BACKENDS=wasm for quick wasm-only runs (the GPU ones take ~1 min). */
const ONLY = process.env.CNN_TRAIN_BACKENDS?.split(',');

/**
 * Training throughput of the paper's initial poster CNN (148×100×3, batch 16, Adam) per backend.
 * The page is not part of the built app, so a Vite dev server with the repo's config serves
 * bench/pages/cnn.html to the harness's Chromium.
 */
export const cnnTrain: Bench = {
  name: 'cnn-train',
  description:
    "Paper's initial poster CNN, training posters/s on wasm (with platform/kernels), webgl, webgpu",
  async run(ctx) {
    await withDevServer(async (url) => {
      for (const [backend, warmup, steps] of PLAN.filter(([b]) => !ONLY || ONLY.includes(b))) {
        const page = await ctx.newPage();
        try {
          await page.goto(`${url}bench/pages/cnn.html`);
          await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
          const r = await page.evaluate(
            ([b, w, s]) =>
              (
                window as unknown as {
                  runCnnTrain: (b: string, w: number, s: number) => Promise<CnnTrainResult>;
                }
              ).runCnnTrain(b, w, s),
            [backend, warmup, steps] as const,
          );
          ctx.record({
            name: `CNN training, ${backend}`,
            value: r.postersPerSecond,
            unit: 'posters/s',
            ref: 'cnn_paper_initial_train_images_per_s_batch16_148x100',
            // The target: ≥ 0.3× native PyTorch's posters/s, judged by run.ts against the
            // native reference measured in the same run (skipped with --no-native).
            ...(backend === 'wasm' ? { target: '≥ 0.3× native speed' } : {}),
            note: `${r.msPerStep.toFixed(0)} ms/step over ${r.steps} steps on ${r.backend}; loss ${r.firstLoss.toFixed(3)} → ${r.lastLoss.toFixed(3)}`,
          });
        } catch (e) {
          ctx.log(`${backend}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        } finally {
          await page.context().close();
        }
      }
    });
  },
};
