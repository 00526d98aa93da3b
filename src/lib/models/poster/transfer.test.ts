import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../features/random.ts';
import { useBackend } from '../../platform/node.ts';
import { decodeJpeg } from '../../vision/decode-node.ts';
import { preparePoster } from '../../vision/pipeline.ts';
import { vgg16FixtureWeights, writeVgg16H5 } from '../../../test/vgg-h5-fixture.ts';
import {
  BACKBONES,
  buildVggBackbone,
  extractFeatures,
  layersArtifacts,
  loadLayersBackbone,
} from './backbones.ts';
import { readKerasH5, type H5Wasm } from './h5.ts';
import { KAGGLE_DIR, KAGGLE_PATHS, loadKagglePosters } from './test-posters.ts';
import { missingShared, sharedUrl } from '../../../test/shared.ts';
import {
  buildFineTuneModel,
  buildHead,
  fineTune,
  fineTuneAndPredict,
  TransferHead,
  type TransferHeadJson,
} from './transfer.ts';
import { TRAIN_DEFAULTS } from './trainer.ts';

const MODELS = sharedUrl('models/');
const noData = missingShared(
  import.meta.url,
  'MobileNetV2-0.35 features and an MLP head on real Kaggle posters',
  'models/mobilenetv2-0.35-imagenet/model.json',
  ...KAGGLE_PATHS,
);
const H5 = h5wasm as unknown as H5Wasm & typeof h5wasm;

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Keras .h5 loader (h5wasm)', () => {
  it('reads a VGG16 notop file in the Keras layout the test writes, and VGG16 takes it by layer name', async () => {
    const written = vgg16FixtureWeights(5);
    const weights = await readKerasH5(await writeVgg16H5(H5 as never, 5), H5);
    expect(Object.keys(weights).sort()).toEqual([...written.keys()].sort());
    expect(weights['block3_conv2/kernel']!.shape).toEqual([3, 3, 256, 256]);
    expect(await weights['block5_conv3/bias']!.data()).toEqual(written.get('block5_conv3/bias'));
    const model = buildVggBackbone('vgg16', weights);
    expect(model.countParams()).toBe(14_714_688); // Keras VGG16(include_top=False).count_params()
    // On a 148×100 poster, block5_pool is 4×3×512 (five halvings, floor).
    const out = model.predict(tf.zeros([1, 148, 100, 3])) as tf.Tensor;
    expect(out.shape).toEqual([1, 4, 3, 512]);
    tf.dispose([out, ...Object.values(weights)]);
    model.dispose();
  });

  it('says what is wrong with an HDF5 file that is not Keras weights', async () => {
    const path = `/tmp/marquee-notkeras-${process.pid}.h5`;
    await h5wasm.ready;
    const f = new h5wasm.File(path, 'w');
    f.create_dataset({ name: 'x', data: new Float32Array(2) });
    f.close();
    await expect(readKerasH5(new Uint8Array(readFileSync(path)), H5)).rejects.toThrow(
      /layer_names/,
    );
  });
});

async function loadMobileNetV2(): Promise<tf.LayersModel> {
  const dir = new URL('mobilenetv2-0.35-imagenet/', MODELS);
  const json = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8'));
  const shards = new Map<string, ArrayBuffer>();
  for (const g of json.weightsManifest)
    for (const p of g.paths) shards.set(p, new Uint8Array(readFileSync(new URL(p, dir))).buffer);
  return loadLayersBackbone(layersArtifacts(json, shards));
}

describe.skipIf(noData)('MobileNetV2-0.35 features + MLP head on real posters', () => {
  it('gives 1280 features per poster, and the head learns from 200 posters', async () => {
    const backbone = await loadMobileNetV2();
    const def = BACKBONES['mobilenetv2-0.35'];
    const pipeline = { ...def.input!, color: 'rgb' as const, normalization: def.normalization };
    const { x: img, y } = await loadKagglePosters(200, pipeline);
    const feats = new Float32Array(200 * 1280);
    for (let s = 0; s < 200; s += 25) {
      const batch = tf.tensor4d(
        img.data.subarray(s * 224 * 224 * 3, (s + 25) * 224 * 224 * 3),
        [25, 224, 224, 3],
      );
      const f = await extractFeatures(backbone, def, batch);
      expect(f.dims).toBe(1280);
      feats.set(f.data, s * 1280);
      batch.dispose();
    }
    // Pooled ReLU6 activations: within [0, 6], and not constant across posters.
    expect(feats.reduce((m, v) => Math.min(m, v), Infinity)).toBeGreaterThanOrEqual(0);
    expect(feats.reduce((m, v) => Math.max(m, v), -Infinity)).toBeLessThanOrEqual(6);
    expect(feats.subarray(0, 1280)).not.toEqual(feats.subarray(1280, 2560));
    // Same poster through the pipeline again → same features (the cache relies on this).
    const again = preparePoster(
      decodeJpeg(new Uint8Array(readFileSync(new URL('posters/tt0089869.jpg', KAGGLE_DIR)))),
      pipeline,
    );
    const t = tf.tensor4d(again.data, [1, 224, 224, 3]);
    const f0 = await extractFeatures(backbone, def, t);
    f0.data.forEach((v, i) => expect(v).toBeCloseTo(feats[i]!, 4));
    t.dispose();

    const head = new TransferHead({ epochs: 15, patience: 0, seed: 1 });
    await head.fit({ rows: 200, cols: 1280, data: feats }, y);
    expect(head.history.at(-1)!.loss).toBeLessThan(0.85 * head.history[0]!.loss);
    const copy = TransferHead.load(JSON.parse(JSON.stringify(head.toJSON())) as TransferHeadJson);
    const a = await head.predictScores({ rows: 3, cols: 1280, data: feats.subarray(0, 3 * 1280) });
    const b = await copy.predictScores({ rows: 3, cols: 1280, data: feats.subarray(0, 3 * 1280) });
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    backbone.dispose();
    head.dispose();
    copy.dispose();
  });
});

describe('fine-tuning the last conv block', () => {
  it('changes block5 and the head, leaves blocks 1–4 alone', async () => {
    const weights = await readKerasH5(await writeVgg16H5(H5 as never, 9), H5);
    const backbone = buildVggBackbone('vgg16', weights);
    tf.dispose(Object.values(weights));
    const rng = mulberry32(2);
    const n = 16;
    const images = Float32Array.from({ length: n * 32 * 32 * 3 }, () => rng() * 100 - 50);
    const y = {
      rows: n,
      cols: 3,
      data: Uint8Array.from({ length: n * 3 }, () => (rng() < 0.4 ? 1 : 0)),
    };
    const head = new TransferHead({ units: 8, epochs: 2, validationFraction: 0, seed: 1 });
    const feats = (backbone.predict(tf.tensor4d(images, [n, 32, 32, 3])) as tf.Tensor).reshape([
      n,
      -1,
    ]);
    await head.fit(
      { rows: n, cols: feats.shape[1]!, data: (await feats.data()) as Float32Array },
      y,
    );
    const model = buildFineTuneModel(backbone, BACKBONES.vgg16, head.model!, [32, 32, 3]);
    const snap = (name: string) => backbone.getLayer(name).getWeights()[0]!.data();
    const b1 = await snap('block1_conv1');
    const b5 = await snap('block5_conv3');
    const h = await head.model!.getLayer('head_out').getWeights()[0]!.data();
    await fineTune(model, { data: images, rowShape: [32, 32, 3], rows: n }, y, {
      ...TRAIN_DEFAULTS,
      epochs: 1,
      batchSize: 8,
      learningRate: 1e-3,
      validationFraction: 0,
    });
    expect(await snap('block1_conv1')).toEqual(b1);
    expect(await snap('block5_conv3')).not.toEqual(b5);
    expect(await head.model!.getLayer('head_out').getWeights()[0]!.data()).not.toEqual(h);
    feats.dispose();
    model.dispose();
  });
});

/** A tiny VGG-named backbone with batch norm: block4 (frozen) → block5 (the last block), 8×8×3 → 2×2×4. */
function tinyBackbone(): tf.LayersModel {
  const conv = (name: string, seed: number, inputShape?: number[]) =>
    tf.layers.conv2d({
      name,
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      ...(inputShape ? { inputShape } : {}),
    });
  return tf.sequential({
    layers: [
      conv('block4_conv1', 1, [8, 8, 3]),
      tf.layers.batchNormalization({ name: 'block4_bn' }),
      tf.layers.maxPooling2d({ name: 'block4_pool', poolSize: 2 }),
      conv('block5_conv1', 2),
      tf.layers.batchNormalization({ name: 'block5_bn' }),
      tf.layers.maxPooling2d({ name: 'block5_pool', poolSize: 2 }),
    ],
  });
}

describe('fineTuneAndPredict on a shared backbone', () => {
  it('trains block 5 with the head, then gives the backbone back untouched and frees its tensors', async () => {
    const rng = mulberry32(4);
    const n = 24;
    const images = Float32Array.from({ length: n * 8 * 8 * 3 }, () => rng() * 2 - 1);
    const y = {
      rows: n,
      cols: 2,
      data: Uint8Array.from({ length: n * 2 }, () => (rng() < 0.5 ? 1 : 0)),
    };
    const backbone = tinyBackbone();
    const head = buildHead(16, 8, 2, 3);
    const before = await Promise.all(backbone.getWeights().map((w) => w.data()));
    const flags = backbone.layers.map((l) => l.trainable);
    const baseline = tf.memory().numTensors;
    const rows = { data: images, rowShape: [8, 8, 3], rows: n };
    const headOnly = tf.tidy(() => {
      const f = (backbone.predict(tf.tensor4d(images, [n, 8, 8, 3])) as tf.Tensor).reshape([n, 16]);
      return head.predict(f) as tf.Tensor;
    });
    const headScores = await headOnly.data();
    headOnly.dispose();
    // Mid-run (after epoch 1) snapshots: [block4 kernel, block4 BN moving mean, block5 kernel].
    const snap = () =>
      [
        backbone.getLayer('block4_conv1').getWeights()[0]!,
        backbone.getLayer('block4_bn').getWeights()[2]!,
        backbone.getLayer('block5_conv1').getWeights()[0]!,
      ].map((w) => Array.from(w.dataSync()));
    const start = snap();
    let mid: number[][] = [];
    const r = await fineTuneAndPredict(
      backbone,
      BACKBONES.vgg16,
      head,
      rows,
      y,
      rows,
      {
        ...TRAIN_DEFAULTS,
        epochs: 2,
        batchSize: 8,
        learningRate: 0.05,
        validationFraction: 0.25,
        patience: 0,
      },
      { onEpochEnd: (l) => void (l.epoch === 1 && (mid = snap())) },
    );
    // During the run: block 5 trains; block 4 and its batch-norm statistics stay frozen (batch
    // norm kept in inference mode: in training mode the moving mean would move every batch).
    expect(mid[0]).toEqual(start[0]);
    expect(mid[1]).toEqual(start[1]);
    expect(mid[2]).not.toEqual(start[2]);
    expect(r.history).toHaveLength(2);
    expect(r.scores).toHaveLength(n * 2);
    // The head was fine-tuned (its predictions moved) ...
    expect(Array.from(r.scores)).not.toEqual(Array.from(headScores));
    // ... while every backbone weight, incl. batch-norm moving statistics, is back bit for bit.
    const after = await Promise.all(backbone.getWeights().map((w) => w.data()));
    after.forEach((a, i) => expect(a).toEqual(before[i]));
    expect(backbone.layers.map((l) => l.trainable)).toEqual(flags);
    expect(backbone.layers.some((l) => Object.hasOwn(l, 'call'))).toBe(false);
    // No tensor left by the run; the owners' dispose() still frees every weight (counts restored).
    expect(tf.memory().numTensors).toBe(baseline);
    const weights = backbone.weights.length + head.weights.length;
    backbone.dispose();
    head.dispose();
    expect(tf.memory().numTensors).toBe(baseline - weights);
  });
});
