import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { VGG19_BLOCK3_JSON, readVgg19Block3 } from '../../test/style-fixtures.ts';
import { missingShared } from '../../test/shared.ts';

const noData = missingShared(
  import.meta.url,
  'the comparison with tfjs loadLayersModel on the real VGG19 weights',
  VGG19_BLOCK3_JSON,
);
import {
  type LayersModelJson,
  buildVgg,
  decodeLayersWeights,
  setVggWeights,
  vggLayerNames,
} from './vgg.ts';

/** Seeded uniform values in [−scale, scale). */
function seeded(n: number, seed: number, scale: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return (a / 4294967296 - 0.5) * 2 * scale;
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('vggLayerNames', () => {
  it('lists 13 convs + 5 pools for VGG16 and 16 + 5 for VGG19, named as Keras', () => {
    const v16 = vggLayerNames('vgg16');
    const v19 = vggLayerNames('vgg19');
    expect(v16.length).toBe(18);
    expect(v19.length).toBe(21);
    expect(v16.slice(0, 4)).toEqual([
      'block1_conv1',
      'block1_conv2',
      'block1_pool',
      'block2_conv1',
    ]);
    expect(v16).toContain('block5_conv3');
    expect(v19).toContain('block5_conv4');
  });
});

describe('buildVgg', () => {
  it('accepts any input size and floors odd sizes at each pool, like Keras valid pooling', () => {
    const model = buildVgg('vgg16', ['block1_conv2', 'block2_conv2']);
    const [a, b] = model.predict(tf.zeros([1, 37, 23, 3])) as tf.Tensor[];
    expect(a!.shape).toEqual([1, 37, 23, 64]);
    expect(b!.shape).toEqual([1, 18, 11, 128]);
    // Built only as deep as needed: 4 convs, 1 pool, the input.
    expect(model.layers.length).toBe(6);
    tf.dispose([a!, b!]);
    model.dispose();
  });

  it('rejects a layer the network does not have', () => {
    expect(() => buildVgg('vgg16', ['block3_conv4'])).toThrow(RangeError);
  });
});

describe('decodeLayersWeights + setVggWeights', () => {
  it('loads weights a test wrote in the tfjs layers layout, split over two shards', async () => {
    const model = buildVgg('vgg16', ['block2_conv2']);
    const named: tf.NamedTensorMap = {};
    model.layers
      .filter((l) => l.name.includes('_conv'))
      .forEach((l, i) => {
        const [k, b] = l.getWeights();
        named[`${l.name}/kernel`] = tf.tensor(seeded(k!.size, 10 + i, 0.1), k!.shape);
        named[`${l.name}/bias`] = tf.tensor(seeded(b!.size, 20 + i, 0.1), b!.shape);
      });
    const { data, specs } = await tf.io.encodeWeights(named);
    const cut = 4 * 1000; // an arbitrary cut inside a tensor, as shards are fixed-size byte runs
    const json: LayersModelJson = { weightsManifest: [{ paths: ['s1', 's2'], weights: specs }] };
    const shards = new Map([
      ['s1', data.slice(0, cut)],
      ['s2', data.slice(cut)],
    ]);
    setVggWeights(model, decodeLayersWeights(json, shards));
    for (const l of model.layers.filter((x) => x.name.includes('_conv'))) {
      const [k, b] = l.getWeights();
      expect(Array.from(await k!.data())).toEqual(
        Array.from(await named[`${l.name}/kernel`]!.data()),
      );
      expect(Array.from(await b!.data())).toEqual(
        Array.from(await named[`${l.name}/bias`]!.data()),
      );
    }
    model.dispose();
  });

  it('rejects missing or misshapen weights', () => {
    const model = buildVgg('vgg16', ['block1_conv1']);
    expect(() => setVggWeights(model, {})).toThrow(/no weights for block1_conv1/);
    const wrong = {
      'block1_conv1/kernel': tf.zeros([3, 3, 3, 32]),
      'block1_conv1/bias': tf.zeros([32]),
    };
    expect(() => setVggWeights(model, wrong)).toThrow(/do not fit/);
    model.dispose();
  });

  it.skipIf(noData)(
    'reproduces tfjs loadLayersModel of the shared VGG19 weights at 32×32',
    async () => {
      // The reference is tfjs' own loader on the same model.json with its input patched from
      // 224×224 to 32×32; float32 sums in the same order, so agreement is to rounding (1e-4 rel).
      const { json, shards } = readVgg19Block3();
      const topo = structuredClone(json.modelTopology) as {
        config: { layers: { class_name: string; config: { batch_input_shape?: unknown } }[] };
      };
      topo.config.layers[0]!.config.batch_input_shape = [null, 32, 32, 3];
      const weights = decodeLayersWeights(json, shards);
      const data = await tf.io.encodeWeights(weights);
      const reference = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology: topo, weightSpecs: data.specs, weightData: data.data }),
      );
      const model = buildVgg('vgg19', ['block3_conv4']);
      setVggWeights(model, weights);
      const x = tf.tensor4d(seeded(32 * 32 * 3, 5, 120), [1, 32, 32, 3]);
      const ours = await (model.predict(x) as tf.Tensor).data();
      const ref = await (reference.predict(x) as tf.Tensor).data();
      expect(ours.length).toBe(8 * 8 * 256);
      const scale = Math.max(...ref.map(Math.abs));
      expect(scale).toBeGreaterThan(1);
      let worst = 0;
      ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[i]!))));
      expect(worst / scale).toBeLessThan(1e-4);
      model.dispose();
      reference.dispose();
      tf.dispose(Object.values(weights));
    },
  );
});
