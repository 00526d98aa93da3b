import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sampleRss, treeRssBytes } from '../chromium-memory.ts';
import type { Bench, BenchContext } from '../types.ts';
import { errorMessage } from '../../src/lib/core/errors.ts';

/**
 * Forward multiply-adds per input pixel (3×3 convs; block b runs at 1/4^(b−1) of the pixels):
 * the VGG19 preset reads block3_conv1 at its deepest, the native reference (torchvision
 * vgg19().features[:17]) runs to block3_conv4. Ours: 3·64·9 + 64·64·9 + (64·128·9 + 128·128·9)/4
 * + 128·256·9/16 = 112,896; native adds 3 × 256·256·9/16 = 110,592, i.e. 223,488.
 */
const MACS_PER_PIXEL = { ours: 112_896, native: 223_488 } as const;

interface Measured {
  backend: string;
  size: number;
  msPerEval: number;
  rssAddedMiB: number;
}

/** Runs the Style panel on one backend and size; the steady-state ms per evaluation is the median of iterations after the first. */
async function measure(
  ctx: BenchContext,
  backend: string,
  size: number,
  iterations: number,
  evals: number,
): Promise<Measured> {
  const page: Page = await ctx.newPage();
  // The Settings preference, read by the compute state before the worker starts.
  await page.addInitScript(
    (b) => localStorage.setItem('marquee:compute:prefer', JSON.stringify(b)),
    backend,
  );
  await page.goto(`${ctx.appUrl}/#/style`);
  // The built site offers Keras' VGG19 download; the bench uses the ../shared tfjs copy instead.
  await page.getByRole('radio', { name: 'Paper method (optimise)' }).check();
  await page
    .getByLabel('Backbone weights URL')
    .fill(`${ctx.appUrl}/__shared/models/vgg19-imagenet-to-block3_conv4/model.json`);
  await page.getByRole('button', { name: 'Load weights' }).click();
  await page.getByTestId('backbone-ready').waitFor({ timeout: 120_000 });
  const ready = await page.getByTestId('backbone-ready').innerText();
  if (!ready.includes(`${backend} backend`)) throw new Error(`asked for ${backend}, got: ${ready}`);
  const posters = join(ctx.shared, 'data/tmdb-cs109b/posters');
  await page.getByTestId('content-file').setInputFiles(join(posters, '10003.jpg'));
  await page.getByTestId('style-file').setInputFiles(join(posters, '10009.jpg'));
  await page.getByTestId('content-chosen').waitFor();
  await page.getByTestId('style-chosen').waitFor();
  await page.getByLabel('Output size').fill(String(size));
  await page.getByLabel('Iterations').fill(String(iterations));
  await page.getByLabel('Evaluations per iteration').fill(String(evals));
  // The paper's schedule: one size, from noise (the panel defaults to the instant start).
  await page.getByLabel('Start from').selectOption('noise');
  await page.getByLabel('coarse to fine (half size first)').uncheck();
  const pid = ctx.browserPid();
  const before = treeRssBytes(pid);
  const sampler = sampleRss(pid);
  await page.getByRole('button', { name: 'Run style transfer' }).click();
  await page.getByRole('link', { name: 'Download PNG' }).first().waitFor({ timeout: 900_000 });
  const peak = sampler.stop();
  const cells = await page.getByTestId('ms-per-eval').allInnerTexts();
  await page.context().close();
  // The first iteration pays for shader compilation and kernel warm-up.
  const steady = cells
    .slice(1)
    .map(Number)
    .sort((a, b) => a - b);
  const msPerEval = steady[Math.floor(steady.length / 2)] ?? Number(cells[0]);
  ctx.log(`${backend} ${size}×${size}: ms/evaluation per iteration ${cells.join(', ')}`);
  return { backend, size, msPerEval, rssAddedMiB: (peak - before) / 2 ** 20 };
}

/** Loss+gradient evaluations of the VGG19 style objective per backend at 200² and 256², through the Style panel. */
export const style: Bench = {
  name: 'style',
  description:
    'Style transfer (VGG19 blocks 1–3 preset): ms per loss+gradient evaluation at 200×200 and 256×256 per backend, Style panel',
  async run(ctx) {
    const results: Measured[] = [];
    // wasm: 3 iterations × 3 evaluations; the GPU backends run in software here (SwiftShader), seconds
    // per evaluation, so 2 × 1 (the second is the steady one).
    for (const [backend, iterations, evals] of [
      ['wasm', 3, 3],
      ['webgl', 2, 1],
      ['webgpu', 2, 1],
    ] as const) {
      for (const size of [200, 256]) {
        try {
          results.push(await measure(ctx, backend, size, iterations, evals));
        } catch (e) {
          ctx.log(`${backend} ${size}: failed: ${errorMessage(e)}`);
        }
      }
    }
    const best256 = results
      .filter((r) => r.size === 256)
      .sort((a, b) => a.msPerEval - b.msPerEval)[0];
    for (const r of results) {
      const isRef = r === best256;
      ctx.record({
        name: `style loss+gradient evaluation, ${r.size}×${r.size}, ${r.backend}`,
        value: r.msPerEval,
        unit: 'ms',
        note:
          `${(1000 / r.msPerEval).toFixed(2)} evaluations/s, ${(1000 / r.msPerEval / 20).toFixed(3)} paper iterations/s (20 evaluations each); ` +
          `Chromium RSS +${r.rssAddedMiB.toFixed(0)} MiB during the run` +
          (isRef
            ? `; ms, LOWER is better: the ratio below is tfjs ms / native ms, so speed relative to native = 1 / ratio. ` +
              `The native figure runs to block3_conv4 (${MACS_PER_PIXEL.native} MAC/pixel forward), this preset to block3_conv1 ` +
              `(${MACS_PER_PIXEL.ours}): per multiply-add, speed relative to native = ${(MACS_PER_PIXEL.ours / MACS_PER_PIXEL.native).toFixed(2)} / ratio`
            : ''),
        ...(isRef ? { ref: 'style_eval_ms_vgg19_to_block3_conv4_256' } : {}),
      });
    }
    for (const r of results.filter((x) => x.backend === best256?.backend)) {
      ctx.record({
        name: `style paper iterations/s (20 evaluations), ${r.size}×${r.size}, ${r.backend}`,
        value: 1000 / r.msPerEval / 20,
        unit: 'it/s',
      });
      ctx.record({
        name: `style memory added (Chromium RSS peak − before), ${r.size}×${r.size}, ${r.backend}`,
        value: r.rssAddedMiB,
        unit: 'MiB',
      });
    }
  },
};
