import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MODEL_HOST_TABLE,
  SHIPPED_BACKBONES,
  backboneOfUrl,
  formatMegabytes,
  shippedBackboneUrl,
} from './model-hosts.ts';
import {
  fetchModelFile,
  listStoredModelFiles,
  ModelUnavailableError,
  removeModelFiles,
  storeModelFile,
  storedModelFile,
  type ModelStoreDeps,
} from './model-store.ts';
import { BACKBONES, type BackboneName } from '../models/poster/backbones.ts';

/** Cache Storage in memory (Node has none): enough of the API for the store. */
function memoryCaches(): CacheStorage & { store: Map<string, Response> } {
  const store = new Map<string, Response>();
  const key = (r: string | Request) => (typeof r === 'string' ? r : r.url);
  const cache = {
    match: async (r: string | Request) => store.get(key(r))?.clone(),
    put: async (r: string | Request, res: Response) => void store.set(key(r), res.clone()),
    keys: async () => [...store.keys()].map((u) => new Request(u)),
    delete: async (req: Request) => store.delete(req.url),
  };
  return { store, open: async () => cache } as unknown as CacheStorage & {
    store: Map<string, Response>;
  };
}

const V2 = MODEL_HOST_TABLE['mobilenetv2-0.35'].url;
const V2_SHARD = V2.replace('model.json', 'weights.bin');

function deps(answer: (url: string) => Response | Error) {
  const calls: string[] = [];
  const caches = memoryCaches();
  const d: ModelStoreDeps = {
    caches,
    fetch: async (input) => {
      calls.push(String(input));
      const a = answer(String(input));
      if (a instanceof Error) throw a;
      return a;
    },
  };
  return { d, calls, caches };
}

describe('fetchModelFile', () => {
  it('downloads once, then answers from the cache without the network', async () => {
    const { d, calls } = deps(() => new Response(new Uint8Array([1, 2, 3])));
    const a = new Uint8Array(await (await fetchModelFile(V2_SHARD, d)).arrayBuffer());
    d.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const b = new Uint8Array(await (await fetchModelFile(V2_SHARD, d)).arrayBuffer());
    expect([...a]).toEqual([1, 2, 3]);
    expect([...b]).toEqual([1, 2, 3]);
    expect(calls).toEqual([V2_SHARD]);
  });

  it('says plainly what to do when offline with nothing cached', async () => {
    const { d } = deps(() => new TypeError('Failed to fetch'));
    const err = await fetchModelFile(MODEL_HOST_TABLE.vgg16.url, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelUnavailableError);
    expect((err as Error).message).toBe(
      'The VGG16 weights are not on this device yet and storage.googleapis.com cannot be reached. ' +
        'Connect once to download them (58.9 MB), or drop the weight files in Settings → Backbone weights.',
    );
  });

  it('names the host that answered an error status, says connecting will not help, and keeps nothing', async () => {
    const { d, caches } = deps(() => new Response('gone', { status: 404 }));
    await expect(fetchModelFile(V2, d)).rejects.toThrow(
      `The MobileNetV2 α=0.35 weights are not on this device yet and storage.googleapis.com no longer has them (HTTP 404 for ${V2}). ` +
        'Connecting again will not help: drop the weight files in Settings → Backbone weights.',
    );
    expect(caches.store.size).toBe(0);
  });

  it('asks to try again later when the host fails (5xx), not to connect', async () => {
    const { d } = deps(() => new Response('busy', { status: 503 }));
    await expect(fetchModelFile(MODEL_HOST_TABLE.vgg19.url, d)).rejects.toThrow(
      'The VGG19 weights are not on this device yet and storage.googleapis.com answered HTTP 503. ' +
        'Try again later, or drop the weight files in Settings → Backbone weights.',
    );
  });

  it('does not keep partial (206) answers', async () => {
    const { d, caches } = deps(() => new Response('x', { status: 206 }));
    await expect(fetchModelFile(V2_SHARD, d)).rejects.toBeInstanceOf(ModelUnavailableError);
    expect(caches.store.size).toBe(0);
  });

  it('still downloads (without keeping) when Cache Storage is blocked', async () => {
    const { d } = deps(() => new Response('{}'));
    d.caches = null;
    expect(await (await fetchModelFile(V2, d)).text()).toBe('{}');
  });
});

describe('files that ship with the site', () => {
  const SITE = 'https://example.org/marquee/';
  const SHIPPED = shippedBackboneUrl('mobilenetv2-0.35', `${SITE}models/`)!;
  beforeEach(() => void vi.stubGlobal('location', new URL(`${SITE}#/predict`)));
  afterEach(() => void vi.unstubAllGlobals());

  it('says the site was published without its models/ folder when its own copy is missing (404)', async () => {
    const { d } = deps(() => new Response('not found', { status: 404 }));
    expect(SHIPPED).toBe('https://example.org/marquee/models/mobilenetv2-0.35/model.json');
    const err = await fetchModelFile(SHIPPED, d).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `The MobileNetV2 α=0.35 weights that ship with this site are missing from it (${SHIPPED} answered HTTP 404): ` +
        'this copy of the site was published without its models/ folder. Whoever hosts it should publish the whole build, models/ included; ' +
        'meanwhile, drop the weight files in Settings → Backbone weights.',
    );
    expect((err as Error).message).not.toContain('Connect once');
    const other = `${SITE}models/marquee-poster-v1/weights.bin`;
    await expect(fetchModelFile(other, d)).rejects.toThrow(
      `The model file ${other} is missing from this site (HTTP 404): this copy of the site was published without it. Whoever hosts it should publish the whole build.`,
    );
  });

  it("offline, gives the shipped copy's own size", async () => {
    const { d } = deps(() => new TypeError('Failed to fetch'));
    const mb = formatMegabytes(SHIPPED_BACKBONES['mobilenetv2-0.35']!.sizeBytes);
    await expect(fetchModelFile(SHIPPED, d)).rejects.toThrow(
      `The MobileNetV2 α=0.35 weights are not on this device yet and example.org cannot be reached. Connect once to download them (${mb}), or drop the weight files in Settings → Backbone weights.`,
    );
  });
});

describe('stored files', () => {
  it('lists downloads and user files with sizes and origins, and removes by prefix', async () => {
    const { d } = deps(() => new Response(new Uint8Array(10)));
    await fetchModelFile(V2_SHARD, d);
    await storeModelFile(MODEL_HOST_TABLE.vgg16.url, new Uint8Array(7), 'my.h5', d);
    const list = await listStoredModelFiles(d);
    expect(
      list.map(({ url, sizeBytes, source, from }) => ({ url, sizeBytes, source, from })),
    ).toEqual([
      { url: V2_SHARD, sizeBytes: 10, source: 'network', from: V2_SHARD },
      { url: MODEL_HOST_TABLE.vgg16.url, sizeBytes: 7, source: 'file', from: 'my.h5' },
    ]);
    expect(await removeModelFiles([MODEL_HOST_TABLE.vgg16.url], d)).toBe(1);
    expect(await storedModelFile(MODEL_HOST_TABLE.vgg16.url, d)).toBeNull();
    expect(await storedModelFile(V2_SHARD, d)).not.toBeNull();
  });
});

describe('model hosts table', () => {
  it('agrees with the backbones registry on every official URL', () => {
    for (const name of Object.keys(BACKBONES) as BackboneName[])
      expect(MODEL_HOST_TABLE[name].url, name).toBe(BACKBONES[name].officialUrl);
  });

  it('finds the backbone of official, shipped and shared-folder URLs', () => {
    expect(backboneOfUrl(V2_SHARD)).toBe('mobilenetv2-0.35');
    expect(backboneOfUrl('https://example.org/marquee/models/mobilenetv2-0.35/weights.bin')).toBe(
      'mobilenetv2-0.35',
    );
    expect(
      backboneOfUrl('http://127.0.0.1:5/__shared/models/mobilenetv2-0.35-imagenet/model.json'),
    ).toBe('mobilenetv2-0.35');
    expect(backboneOfUrl(MODEL_HOST_TABLE.vgg19.url)).toBe('vgg19');
    expect(
      backboneOfUrl(
        'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50.h5',
      ),
    ).toBeNull();
    expect(backboneOfUrl('/models/marquee-poster-v1/weights.bin')).toBeNull();
  });
});
