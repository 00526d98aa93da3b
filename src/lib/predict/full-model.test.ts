import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from './card.ts';
import { composeFullModel, fullModelFiles, fullModelMetadata } from './full-model.ts';

/** A tiny "backbone": conv → global average pooling, 8×8×3 → `dims`. */
function backbone(dims: number, seed: number): tf.LayersModel {
  const m = tf.sequential({ name: `bb${seed}` });
  m.add(
    tf.layers.conv2d({
      inputShape: [8, 8, 3],
      filters: dims,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tf.initializers.randomNormal({ seed }),
    }),
  );
  m.add(tf.layers.globalAveragePooling2d({}));
  return m;
}

function head(inputs: number, labels: number): tf.LayersModel {
  const m = tf.sequential({ name: 'head' });
  m.add(
    tf.layers.dense({
      inputShape: [inputs],
      units: labels,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.randomNormal({ seed: 9, stddev: 2 }),
      biasInitializer: tf.initializers.randomNormal({ seed: 10 }),
    }),
  );
  return m;
}

const images = () => tf.randomUniform([4, 8, 8, 3], -1, 1, 'float32', 3);

/** What the studio computes: each backbone's features, concatenated in order, then the head. */
function studio(bbs: tf.LayersModel[], h: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => {
    const f = bbs.map((b) => (b.predict(x) as tf.Tensor).reshape([x.shape[0]!, -1]));
    const joined = f.length > 1 ? tf.concat(f, 1) : f[0]!;
    return (h.predict(joined) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** Loads exported files the way a plain tfjs app does (model.json + shard, nothing of ours). */
async function loadPlain(files: { name: string; bytes: Uint8Array }[]): Promise<tf.LayersModel> {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const json = JSON.parse(new TextDecoder().decode(byName.get('model.json'))) as {
    modelTopology: tf.io.ModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const shard = byName.get(json.weightsManifest[0]!.paths[0]!)!;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights,
      weightData: shard.slice().buffer as ArrayBuffer,
    }),
  );
}

beforeAll(async () => void (await tf.setBackend('cpu')));

describe('full-model export', () => {
  it('one backbone: the composed model gives the studio’s probabilities, and so do its exported files', async () => {
    const bb = backbone(5, 1);
    const h = head(5, 3);
    const x = images();
    const want = studio([bb], h, x);
    const full = composeFullModel([bb], h);
    expect(full.inputs[0]!.shape).toEqual([null, 8, 8, 3]);
    const got = (full.predict(x) as tf.Tensor).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));

    const files = await fullModelFiles(full, { name: 'test' } as never);
    expect(files.map((f) => f.name)).toEqual(['model.json', 'weights.bin', 'metadata.json']);
    const loaded = await loadPlain(files);
    const again = (loaded.predict(x) as tf.Tensor).dataSync();
    // float16 weights: ~3 significant digits.
    again.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(5e-3));
  });

  it('two backbones: features concatenated in the card’s order (swapping them changes the answer)', async () => {
    const a = backbone(4, 2);
    const b = backbone(3, 5);
    const h = head(7, 2);
    const x = images();
    const want = studio([a, b], h, x);
    const got = (composeFullModel([a, b], h).predict(x) as tf.Tensor).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    const loaded = await loadPlain(await fullModelFiles(composeFullModel([a, b], h), {} as never));
    const again = (loaded.predict(x) as tf.Tensor).dataSync();
    again.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(5e-3));
    const h2 = head(7, 2);
    const swapped = studio([b, a], h2, x);
    const plain = studio([a, b], h2, x);
    expect(swapped.some((v, i) => Math.abs(v - plain[i]!) > 1e-3)).toBe(true);
  });

  it('writes the metadata a plain app needs: labels, input, calibration and rule', () => {
    const card = {
      name: 'marquee-poster-v1',
      labels: ['a', 'b'],
      thresholds: [0.4, 0.6],
      backbone: { name: 'mobilenetv2-0.35', featureDims: 1280, officialUrl: 'u' },
      extraBackbones: [{ name: 'mobilenetv1-1.0', featureDims: 1024, officialUrl: 'v' }],
      flipAveraging: true,
      preprocessing: {
        height: 224,
        width: 224,
        color: 'rgb',
        normalization: 'tf',
        resize: 'bilinear',
        decoder: 'jpeg-js',
      },
      decision: {
        calibration: 'platt',
        calibrators: [
          { kind: 'platt', a: 1.5, b: -0.2 },
          { kind: 'platt', a: 0.9, b: 0.1 },
        ],
        rule: { kind: 'global', cut: 0.39, minOne: true },
        name: 'global',
        selectedBy: '5-fold CV',
        cv: [],
      },
    } as unknown as ModelCard;
    const m = fullModelMetadata(card, new Date('2026-12-07T00:00:00Z'));
    expect(m).toMatchObject({
      format: 'marquee-full-model',
      labels: ['a', 'b'],
      input: { shape: [224, 224, 3], range: [-1, 1], scale: 'x / 127.5 - 1' },
      backbones: ['mobilenetv2-0.35', 'mobilenetv1-1.0'],
      flipAveraging: true,
      rule: { kind: 'global', cut: 0.39, minOne: true },
      ruleSelectedBy: '5-fold CV',
      createdAt: '2026-12-07T00:00:00.000Z',
    });
    expect(m.calibrators).toHaveLength(2);
    // An older card without a decision: its thresholds are the rule, no calibration.
    const old = fullModelMetadata({ ...card, decision: undefined } as ModelCard);
    expect(old.rule).toEqual({ kind: 'thresholds', thresholds: [0.4, 0.6], minOne: false });
    expect(old.calibrators).toEqual([{ kind: 'none' }, { kind: 'none' }]);
  });
});
