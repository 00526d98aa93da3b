import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVggBackbone } from '../models/poster/backbones.ts';
import { readKerasH5 } from '../models/poster/h5.ts';
import { MODEL_HOST_TABLE, SHIPPED_BACKBONES } from '../net/model-hosts.ts';
import { listStoredModelFiles } from '../net/model-store.ts';
import { MODEL_CACHE_NAME } from '../offline/model-urls.ts';
import { loadH5 } from './backbone-weights.ts';
import { backboneStatuses, importBackbone, removeBackbone } from './backbones-client.ts';
import { DEV_MODELS_BASE, startPosterWorker, type PosterWorker } from './poster-client.ts';
import { startStyleWorker } from './style-client.ts';
import { vgg16ConvShapes, writeVgg16H5 } from '../../test/vgg-h5-fixture.ts';

const FILE = MODEL_HOST_TABLE.vgg16.fileName;
const VGG16_NOTOP_PARAMS = 14_714_688; // Keras VGG16(include_top=False).count_params()
let h5bytes: Uint8Array<ArrayBuffer>;
let w: PosterWorker;

const status = async (name: string) => (await backboneStatuses()).find((s) => s.name === name)!;

beforeAll(async () => {
  await caches.delete(MODEL_CACHE_NAME);
  h5bytes = await writeVgg16H5(h5wasm as never, 7);
  w = await startPosterWorker('wasm', { modelsBase: DEV_MODELS_BASE });
}, 120_000);

afterAll(async () => {
  w?.terminate();
  await caches.delete(MODEL_CACHE_NAME);
});

describe('backbone weights in the browser', () => {
  it('loads a shipped MobileNet from the site (not ../shared) and caches it on the first visit, with no service worker', async () => {
    expect(navigator.serviceWorker?.controller ?? null).toBeNull();
    expect((await status('mobilenetv2-0.35')).shipped).toEqual({
      sizeBytes: SHIPPED_BACKBONES['mobilenetv2-0.35']!.sizeBytes,
    });
    const info = await w.api.loadBackbone('mobilenetv2-0.35', [224, 224]);
    expect(info.outputShape).toEqual([1, 1280]); // the saved model ends in global average pooling
    const files = (await listStoredModelFiles()).map((f) => new URL(f.url).pathname).sort();
    // The site's copy wins over the ../shared folder this worker was also given.
    expect(files).toEqual([
      '/models/mobilenetv2-0.35/model.json',
      '/models/mobilenetv2-0.35/weights.bin',
    ]);
    const s = await status('mobilenetv2-0.35');
    expect(s.state).toBe('cached');
    expect(s.sizeBytes).toBe(SHIPPED_BACKBONES['mobilenetv2-0.35']!.sizeBytes); // the table says what ships
  });

  it('stores a full-size VGG16 notop .h5 the user gives, and the poster worker builds VGG16 from it', async () => {
    const imported = await importBackbone('vgg16', [new File([h5bytes], FILE)]);
    expect(imported).toEqual({
      name: 'vgg16',
      files: 1,
      sizeBytes: h5bytes.byteLength,
      params: VGG16_NOTOP_PARAMS,
    });
    const s = await status('vgg16');
    expect(s).toMatchObject({ state: 'file', from: FILE, sizeBytes: h5bytes.byteLength });

    const info = await w.api.loadBackbone('vgg16', [32, 32]);
    expect(info.params).toBe(VGG16_NOTOP_PARAMS);
    expect(info.outputShape).toEqual([1, 1, 1, 512]);
    // The same weights read in this page (cpu backend) give the same activations: the worker used the file.
    await tf.setBackend('cpu');
    const weights = await readKerasH5(h5bytes, await loadH5());
    const model = buildVggBackbone('vgg16', weights);
    const ref = tf.tidy(() => (model.predict(tf.ones([1, 32, 32, 3])) as tf.Tensor).mean());
    const expected = (await ref.data())[0]!;
    tf.dispose([ref, ...Object.values(weights)]);
    model.dispose();
    expect(expected).toBeGreaterThan(0); // ReLU features of a non-trivial net
    // wasm (worker) vs cpu (page) float32 sums over 13 layers: 1e-4 relative.
    expect(Math.abs(info.mean - expected)).toBeLessThan(1e-4 * Math.abs(expected));
  });

  it("the style worker runs the paper's VGG16 preset from the stored .h5 (Style → use VGG16)", async () => {
    const style = await startStyleWorker('wasm');
    try {
      const info = await style.api.loadStoredVgg('vgg16');
      expect(info.arch).toBe('vgg16');
      expect(info.presets.find((p) => p.id === 'paper-vgg16')?.missing).toBeNull();
    } finally {
      style.terminate();
    }
  });

  it('refuses a truncated file and a wrong-shaped file, leaving the stored file as it was', async () => {
    const before = await status('vgg16');
    const truncated = new File([h5bytes.slice(0, Math.floor(h5bytes.byteLength / 2))], FILE);
    await expect(importBackbone('vgg16', [truncated])).rejects.toThrow(
      /cannot be read as a Keras weights file .* truncated .* Nothing was changed\./,
    );
    const shapes = vgg16ConvShapes().slice(0, 2);
    shapes[0]![1] = [3, 3, 3, 32];
    const wrong = new File([await writeVgg16H5(h5wasm as never, 8, shapes)], 'vgg16_small.h5');
    await expect(importBackbone('vgg16', [wrong])).rejects.toThrow(
      'vgg16_small.h5 does not hold VGG16 notop weights: block1_conv1/kernel is [3, 3, 3, 32], vgg16 needs [3, 3, 3, 64]; block1_conv1/bias is [32], vgg16 needs [64]; no block2_conv1/kernel (and 21 more). Nothing was changed.',
    );
    const after = await status('vgg16');
    expect(after.files).toEqual(before.files);
  });

  it('says plainly what to do when a backbone is neither stored nor reachable', async () => {
    const offline = await startPosterWorker('wasm', { modelsBase: 'http://127.0.0.1:9/models/' });
    try {
      await expect(offline.api.loadBackbone('mobilenetv1-1.0', [224, 224])).rejects.toThrow(
        'The MobileNet v1 1.0 weights are not on this device yet and 127.0.0.1:9 cannot be reached. Connect once to download them (16.9 MB), or drop the weight files in Settings → Backbone weights.',
      );
    } finally {
      offline.terminate();
    }
  });

  it('takes a tfjs folder for a MobileNet under its official URL, so the worker loads it with no models base', async () => {
    // The folder the site ships (float16 weights), so this runs without the shared data folder.
    const dir = '/models/mobilenetv2-0.35/';
    const file = async (n: string) => new File([await (await fetch(dir + n)).arrayBuffer()], n);
    const [json, bin] = await Promise.all([file('model.json'), file('weights.bin')]);
    await expect(importBackbone('mobilenetv2-0.35', [json])).rejects.toThrow(
      /^These files are not a MobileNetV2 α=0\.35 tfjs model: missing weight shard weights\.bin\. Nothing was changed\.$/,
    );
    const r = await importBackbone('mobilenetv2-0.35', [json, bin]);
    expect(r).toMatchObject({ files: 2, sizeBytes: json.size + bin.size });
    const official = MODEL_HOST_TABLE['mobilenetv2-0.35'].url;
    const stored = (await listStoredModelFiles()).filter((f) =>
      f.url.startsWith(official.replace('model.json', '')),
    );
    expect(stored.map((f) => [f.source, f.sizeBytes])).toEqual([
      ['file', bin.size],
      ['file', json.size],
    ]);
    const hostless = await startPosterWorker('wasm', { modelsBase: null, siteModels: null });
    try {
      const info = await hostless.api.loadBackbone('mobilenetv2-0.35', [224, 224]);
      expect(info.outputShape).toEqual([1, 1280]);
    } finally {
      hostless.terminate();
    }
    expect((await status('mobilenetv2-0.35')).state).toBe('file');
  });

  it("removes a backbone's files", async () => {
    expect(await removeBackbone('vgg16')).toBe(1);
    expect((await status('vgg16')).state).toBe('missing');
    expect(await removeBackbone('mobilenetv2-0.35')).toBe(4); // 2 downloaded from the site, 2 given
    expect((await status('mobilenetv2-0.35')).state).toBe('missing');
  });
});
