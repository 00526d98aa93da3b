/**
 * Where a poster experiment in the studio gets its inputs: poster bytes from the library's
 * stored Blobs, decoding with createImageBitmap, the library-backed poster cache, and backbone
 * weights read through the model store (kept in Cache Storage after the first download, or
 * given by the user in Settings → Backbone weights), from the site's shipped copy, a ../shared
 * copy (dev and tests) or the official hosts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Movie } from '../data/types.ts';
import type { PosterSource } from '../experiments/poster-runner.ts';
import type { BackboneName } from '../models/poster/backbones.ts';
import type { Library } from '../storage/index.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';
import { libraryPosterCache, type CountingPosterCache } from '../vision/idb-cache.ts';
import { loadBackbone, type ModelSources } from './backbone-weights.ts';

/** Loads backbones once per (name, model sources) (the worker keeps them for later runs); see backbone-weights.ts. */
export function backboneLoader(
  sources: () => ModelSources,
): (name: BackboneName) => Promise<tf.LayersModel> {
  const loaded = new Map<string, Promise<tf.LayersModel>>();
  return (name) => {
    const s = sources();
    const key = `${name} ${s.site} ${s.shared}`;
    let p = loaded.get(key);
    if (!p) {
      p = loadBackbone(name, s);
      p.catch(() => loaded.delete(key));
      loaded.set(key, p);
    }
    return p;
  };
}

/** A PosterSource over the library: posters by movie key, cached tensors and features in its feature store. */
export function libraryPosterSource(
  library: Library,
  backbone: (name: BackboneName) => Promise<tf.LayersModel>,
): PosterSource & { cache: CountingPosterCache } {
  return {
    read: async (m: Movie) => {
      const p = await library.getPoster(m.key);
      return p ? new Uint8Array(await p.blob.arrayBuffer()) : null;
    },
    decode: decodeInBrowser,
    cache: libraryPosterCache(library),
    backbone,
  };
}
