import { afterAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../platform/index.ts';
import { DEFAULT_STYLE_SETTINGS, type RgbaImage, type StyleSettings } from '../style/stylize.ts';
import { runStyle, startStyleWorker, type StyleWorker } from './style-client.ts';
import { isAbortError } from '../core/errors.ts';
import { missingSharedInBrowser } from '../../test/shared-browser.ts';

// Served from ../shared by the dev server (scripts/vite-plugins.ts), read in place.
const WEIGHTS = new URL(
  '/__shared/models/vgg19-imagenet-to-block3_conv4/model.json',
  location.origin,
).href;
const POSTERS = '/__shared/data/tmdb-cs109b/posters/';
const noData = await missingSharedInBrowser(
  import.meta.url,
  'the style worker runs on the real VGG19 weights and CS109b posters',
  'models/vgg19-imagenet-to-block3_conv4/model.json',
  'data/tmdb-cs109b/posters/10003.jpg',
);

async function poster(id: string): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(await (await fetch(`${POSTERS}${id}.jpg`)).blob());
  const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: d.width, height: d.height, data: d.data };
}

// Tiny on purpose: SwiftShader WebGPU runs VGG at a few evaluations per second at 32×32.
const TINY: StyleSettings = {
  ...DEFAULT_STYLE_SETTINGS,
  size: 32,
  iterations: 2,
  evalsPerIteration: 4,
  init: 'content',
};
const workers: StyleWorker[] = [];
/** WebGPU on SwiftShader takes 2–5 s per evaluation here (more while other jobs load the 2 cores). */
const SLOW_MS = 300_000;

afterAll(() => workers.forEach((w) => w.terminate()));

describe.skipIf(noData).each<BackendName>(['wasm', 'webgpu'])('style worker on %s', (backend) => {
  let w: StyleWorker;

  it('starts on the requested backend and loads the VGG19 block-3 weights', async () => {
    w = await startStyleWorker(backend);
    workers.push(w);
    expect(w.backend).toBe(backend);
    const info = await w.api.loadBackbone(WEIGHTS);
    expect(info.arch).toBe('vgg19');
    expect(info.backend).toBe(backend);
    expect(info.presets.find((p) => p.id === 'vgg19-block3')?.missing).toBeNull();
    expect(info.presets.find((p) => p.id === 'paper-vgg16')?.missing).toMatch(/VGG16/);
  });

  it(
    'lowers the loss and returns a 32×32 opaque image with a real spread of pixel values',
    async () => {
      const [content, style] = await Promise.all([poster('10003'), poster('10009')]);
      const previews: number[] = [];
      const r = await runStyle(w, content, style, TINY, (it) => {
        expect([it.image.width, it.image.height, it.image.data.length]).toEqual([
          32,
          32,
          32 * 32 * 4,
        ]);
        previews.push(it.terms.total);
      }).result;
      expect(r.backend).toBe(backend);
      expect(previews.length).toBe(2);
      expect(r.history[1]!.terms.total).toBeLessThan(r.start.total);
      expect(r.history[1]!.terms.total).toBeLessThanOrEqual(r.history[0]!.terms.total);
      expect([r.image.width, r.image.height, r.image.data.length]).toEqual([32, 32, 4096]);
      const rgb = Array.from(r.image.data).filter((_, i) => i % 4 !== 3);
      const alpha = Array.from(r.image.data).filter((_, i) => i % 4 === 3);
      expect(alpha.every((a) => a === 255)).toBe(true);
      // A deprocessing bug (mean not added back, channels swapped into clipping) shows as a flat image.
      const mean = rgb.reduce((s, v) => s + v, 0) / rgb.length;
      const sd = Math.sqrt(rgb.reduce((s, v) => s + (v - mean) ** 2, 0) / rgb.length);
      expect(mean).toBeGreaterThan(10);
      expect(mean).toBeLessThan(245);
      expect(sd).toBeGreaterThan(10);
      console.info(
        `${backend}: loss ${r.start.total.toExponential(3)} → ${r.history[1]!.terms.total.toExponential(3)}, ${r.evals} evals, ${(r.totalMs / r.evals).toFixed(0)} ms/eval at 32×32`,
      );
    },
    SLOW_MS,
  );

  it(
    'keeps tf.memory() at its baseline after a run and after a cancel mid-iteration',
    async () => {
      const [content, style] = await Promise.all([poster('10003'), poster('10009')]);
      const baseline = (await w.api.memory()).numTensors; // the preset's model is built by now
      await runStyle(
        w,
        content,
        style,
        { ...TINY, iterations: 1, evalsPerIteration: 2, optimizer: 'adam' },
        () => {},
      ).result;
      expect((await w.api.memory()).numTensors).toBe(baseline);
      let previews = 0;
      const job = runStyle(
        w,
        content,
        style,
        { ...TINY, iterations: 20, evalsPerIteration: 3 },
        () => {
          // Cancel 30 ms into the second iteration (an evaluation takes ≥ 100 ms here), i.e. while an
          // evaluation or a line search is under way.
          if (++previews === 1) setTimeout(() => void job.cancel(), 30);
        },
      );
      const err = await job.result.then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAbortError(err)).toBe(true);
      expect(previews).toBe(1);
      expect((await w.api.memory()).numTensors).toBe(baseline);
    },
    SLOW_MS,
  );
});
