import { withDevServer } from '../dev-server.ts';
import type { Bench } from '../types.ts';
import type { StyleEvalResult } from '../pages/style-eval.ts';

/** backend → timed evaluations; the software GPU adapters take tens of seconds per evaluation here. */
const PLAN: Array<['wasm' | 'webgl' | 'webgpu', number]> = [
  ['wasm', 3],
  ['webgl', 1],
];

/**
 * One style loss+gradient evaluation at 256×256 on the native reference's network (VGG19 to
 * block3_conv4), per backend. Served like cnn-train: a Vite dev server with the repo's config.
 */
export const styleEval: Bench = {
  name: 'style-eval',
  description:
    'Loss+gradient w.r.t. a 256×256 image through VGG19 to block3_conv4 (the native workload), per backend',
  async run(ctx) {
    await withDevServer(async (url) => {
      for (const [backend, evals] of PLAN) {
        const page = await ctx.newPage();
        try {
          await page.goto(`${url}bench/pages/style-eval.html`);
          await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
          const r = await page.evaluate(
            ([b, n]) =>
              (
                window as unknown as {
                  runStyleEval: (b: string, s: number, n: number) => Promise<StyleEvalResult>;
                }
              ).runStyleEval(b, 256, n),
            [backend, evals] as const,
          );
          ctx.record({
            name: `style evaluation 256², VGG19 to block3_conv4, ${r.backend}`,
            value: r.msPerEval,
            unit: 'ms',
            ref: 'style_eval_ms_vgg19_to_block3_conv4_256',
            refIsTime: true,
            ...(backend === 'wasm' ? { target: '≥ 0.3× native speed' } : {}),
            note: `median of ${r.evals} after a warm-up`,
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
