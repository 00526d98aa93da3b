import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCompute } from '../src/lib/platform/node.ts';
import {
  backboneFeatures,
  headProbabilities,
  prepareForBackbone,
} from '../src/lib/predict/poster-model.ts';
import { makeJpeg } from '../src/test/posters.ts';
import { decodeJpeg } from '../src/lib/vision/decode-node.ts';
import type { FullModelMetadata } from '../src/lib/predict/full-model.ts';
import { exportFullModel } from './export-full-model.ts';
import { loadModelDir } from './predict.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const MODEL = join(ROOT, 'public/models/marquee-poster-v1');
const BACKBONE = join(ROOT, 'public/models/mobilenetv2-0.35');
const out = mkdtempSync(join(tmpdir(), 'marquee-full-model-'));
const posters = [1, 2, 3].map((seed) => makeJpeg(160 + seed * 20, 240, seed));

let meta: FullModelMetadata;
beforeAll(async () => {
  await initCompute({ prefer: 'cpu' });
  meta = await exportFullModel(MODEL, BACKBONE, out);
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Loads the export the way any tfjs app can: model.json and its shard, nothing of Marquee's. */
async function loadPlain(): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
    modelTopology: tf.io.ModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const data = json.weightsManifest.flatMap((g) =>
    g.paths.map((p) => new Uint8Array(readFileSync(join(out, p))).buffer),
  );
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: tf.io.concatenateArrayBuffers(data),
    }),
  );
}

describe('full-model export (backbone + head in one tfjs model)', () => {
  it('writes model.json, one shard and metadata.json with the card’s labels and calibrators', () => {
    const card = JSON.parse(readFileSync(join(MODEL, 'card.json'), 'utf8')) as {
      labels: string[];
      decision?: { calibrators: unknown[] };
    };
    expect(meta.format).toBe('marquee-full-model');
    expect(meta.labels).toEqual(card.labels);
    if (card.decision) expect(meta.calibrators).toEqual(card.decision.calibrators);
    expect(meta.input.shape).toEqual([224, 224, 3]);
    const onDisk = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(meta);
  });

  it(
    'loaded with plain tf.loadLayersModel, it gives the studio’s head probabilities',
    { timeout: 300_000 },
    async () => {
      const full = await loadPlain();
      const studio = await loadModelDir(MODEL, BACKBONE);
      const images = posters.map((j) => prepareForBackbone(decodeJpeg(j)));
      const f = await backboneFeatures(studio.backbone, images);
      const want = await headProbabilities(studio.head, f.data, images.length);
      const x = tf.tensor4d(Float32Array.from(images.flatMap((im) => Array.from(im.data))), [
        images.length,
        224,
        224,
        3,
      ]);
      const y = full.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([3, meta.labels.length]);
      const got = await y.data();
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      // float16 weights (as the panel exports them): within 5e-3 of the float32 studio.
      expect(worst).toBeLessThan(5e-3);
      // Through metadata.json alone (Platt: sigmoid(a·logit(p) + b)), the panel's calibrated figures.
      const calibrators = meta.calibrators as { kind: string; a: number; b: number }[];
      const calibrated = !meta.flipAveraging && calibrators.every((c) => c.kind === 'platt');
      console.info(
        `full model vs studio head: max |diff| ${worst.toExponential(2)}; calibrated check ${calibrated ? 'run' : 'not run (card has no Platt calibrators or averages flips)'}`,
      );
      if (calibrated) {
        const rows = await studio.predictFiles(
          posters.map((bytes, i) => ({ name: `${i}.jpg`, bytes })),
        );
        rows.forEach((r, i) => {
          if (!r.ok) throw new Error(r.error);
          r.probabilities.forEach((p, k) => {
            const q = got[i * meta.labels.length + k]!;
            const c = calibrators[k]!;
            const z = c.a * Math.log(q / (1 - q)) + c.b;
            expect(Math.abs(1 / (1 + Math.exp(-z)) - p)).toBeLessThan(5e-3);
          });
        });
      }
      x.dispose();
      y.dispose();
      full.dispose();
    },
  );
});
