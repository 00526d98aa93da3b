import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs.ts';
import { preprocessVgg } from './losses.ts';
import { VGG19_BLOCK3, presetLayers } from './presets.ts';
import { imageBounds, styleObjective } from './style-objective.ts';
import { buildVgg, decodeLayersWeights, setVggWeights } from './vgg.ts';
import { VGG19_BLOCK3_JSON, readVgg19Block3 } from '../../test/style-fixtures.ts';
import { missingShared, sharedUrl } from '../../test/shared.ts';

const SIZE = 32;
const POSTERS = sharedUrl('data/tmdb-cs109b/posters/');
const noData = missingShared(
  import.meta.url,
  'the style objective on the real VGG19 weights and CS109b posters',
  VGG19_BLOCK3_JSON,
  'data/tmdb-cs109b/posters',
);

/** A shared poster (92×138 JPEG) resized to SIZE×SIZE and caffe-preprocessed, [h, w, 3]. */
function poster(id: string): tf.Tensor3D {
  const img = jpeg.decode(readFileSync(new URL(`${id}.jpg`, POSTERS)), { useTArray: true });
  return tf.tidy(() => {
    const rgba = tf.tensor3d(img.data, [img.height, img.width, 4], 'float32');
    const rgb = rgba.slice([0, 0, 0], [img.height, img.width, 3]);
    return preprocessVgg(tf.image.resizeBilinear(rgb, [SIZE, SIZE]));
  });
}

let model: tf.LayersModel;
let content: tf.Tensor3D;
let style: tf.Tensor3D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  if (noData) return;
  const { json, shards } = readVgg19Block3();
  const weights = decodeLayersWeights(json, shards);
  model = buildVgg('vgg19', presetLayers(VGG19_BLOCK3));
  setVggWeights(model, weights);
  tf.dispose(Object.values(weights));
  content = poster('10003');
  style = poster('10009');
});

afterAll(() => {
  if (noData) return;
  model.dispose();
  tf.dispose([content, style]);
});

async function flat(t: tf.Tensor): Promise<Float64Array> {
  return Float64Array.from(await t.data());
}

describe.skipIf(noData)('styleObjective (VGG19 blocks 1–3, real weights, 32×32 posters)', () => {
  it('leaks no tensors over repeated evaluations', async () => {
    const so = styleObjective(model, content, style, VGG19_BLOCK3);
    const x = await flat(content);
    await so.objective(x); // the first call may allocate backend caches once
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await so.objective(x);
    await so.terms(x);
    expect(tf.memory().numTensors).toBe(baseline);
    const before = tf.memory().numTensors;
    so.dispose();
    // Content target + 3 style targets released.
    expect(before - tf.memory().numTensors).toBe(4);
  });

  it('returns a gradient that matches central finite differences', async () => {
    const so = styleObjective(model, content, style, VGG19_BLOCK3);
    const x = await flat(content);
    x.forEach((v, i) => (x[i] = Math.min(120, Math.max(-100, v + 20 * Math.sin(i * 1.7)))));
    const { g } = await so.objective(x);
    // Directions of unit norm: g itself and a fixed pseudo-random one.
    const gNorm = Math.hypot(...Array.from(g));
    const raw = Float64Array.from(x, (_, i) => Math.cos(i * i * 0.913));
    const rNorm = Math.hypot(...raw);
    for (const d of [Float64Array.from(g, (v) => v / gNorm), raw.map((v) => v / rNorm)]) {
      // A step of 5 (pixel units, in norm) spread over 3072 values: f ≈ 4e10 in float32 sums is
      // good to ~1e-6 relative, i.e. ±4e4, which /2h = /10 stays far below |g·d| ≥ 1e5;
      // curvature over ±5 is what remains. Seen: 5e-5 and 6e-4 relative; 0.5% allowed.
      const h = 5;
      const fp = (await so.objective(x.map((v, i) => v + h * d[i]!))).f;
      const fm = (await so.objective(x.map((v, i) => v - h * d[i]!))).f;
      const fd = (fp - fm) / (2 * h);
      const gd = Array.from(g).reduce((s, v, i) => s + v * d[i]!, 0);
      console.info(`finite difference ${fd.toExponential(4)} vs g·d ${gd.toExponential(4)}`);
      expect(Math.abs(gd)).toBeGreaterThan(1e5);
      expect(Math.abs(fd - gd)).toBeLessThan(0.005 * Math.abs(gd));
    }
    so.dispose();
  });

  it('splits the loss into weighted terms that add up to f', async () => {
    const so = styleObjective(model, content, style, VGG19_BLOCK3);
    const x = await flat(content);
    const t = await so.terms(x);
    expect(t.content).toBe(0); // x is the content image itself
    expect(t.style).toBeGreaterThan(0);
    expect(t.tv).toBeGreaterThan(0);
    // Same float32 graph summed in a different order: 1e-6 relative.
    const { f } = await so.objective(x);
    expect(Math.abs(f - t.total)).toBeLessThan(1e-6 * t.total);
    so.dispose();
  });

  it('lowers the total loss in 3 L-BFGS iterations from the content image, within pixel bounds', async () => {
    const so = styleObjective(model, content, style, VGG19_BLOCK3);
    const x0 = await flat(content);
    const start = await so.terms(x0);
    const { lower, upper } = imageBounds(SIZE, SIZE);
    const t0 = performance.now();
    const r = await minimizeLbfgs(so.objective, x0, { maxIterations: 3, lower, upper });
    const msPerEval = (performance.now() - t0) / r.evals;
    const end = await so.terms(r.x);
    console.info(
      `32×32 VGG19-block3 L-BFGS: loss ${start.total.toExponential(3)} → ${end.total.toExponential(3)} ` +
        `in ${r.iterations} iterations, ${r.evals} evals, ${msPerEval.toFixed(0)} ms/eval (tfjs cpu, Node)`,
    );
    expect(r.iterations).toBe(3);
    expect(end.total).toBeLessThan(0.8 * start.total);
    r.x.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(lower[i]!);
      expect(v).toBeLessThanOrEqual(upper[i]!);
    });
    so.dispose();
  });
});
