/**
 * Where a poster experiment in the studio gets its inputs: poster bytes from the library's
 * stored Blobs, decoding with createImageBitmap, the library-backed poster cache, and backbone
 * weights fetched with tf.loadLayersModel from a configurable base URL (the service worker
 * caches /models/ and /__shared/models/ URLs, so a model loads offline after its first fetch).
 */
import * as tf from '@tensorflow/tfjs';
import type { Movie } from '../data/types.ts';
import type { PosterSource } from '../experiments/poster-runner.ts';
import { BACKBONES, type BackboneName } from '../models/poster/backbones.ts';
import type { Library } from '../storage/index.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';
import { libraryPosterCache, type CountingPosterCache } from '../vision/idb-cache.ts';

/** Folder of each backbone's tfjs layers model under a models base URL (as in ../shared/models). */
export const BACKBONE_FOLDERS: Readonly<Record<BackboneName, string | null>> = {
  'mobilenetv2-0.35': 'mobilenetv2-0.35-imagenet',
  'mobilenetv1-1.0': 'mobilenetv1-1.0-imagenet-to-conv_dw_13',
  // VGG ImageNet weights exist only as Keras .h5 files; the browser has no layers model of them.
  vgg16: null,
  vgg19: null,
};

/** The model.json URL of a backbone: `<base><folder>/model.json`, or the official host when base is null. */
export function backboneUrl(name: BackboneName, base: string | null): string {
  const folder = BACKBONE_FOLDERS[name];
  if (base === null) return BACKBONES[name].officialUrl;
  if (!folder)
    throw new Error(`${name} has no tfjs layers model; its weights come as a Keras .h5 file`);
  return `${base.endsWith('/') ? base : `${base}/`}${folder}/model.json`;
}

/** Loads backbones once per URL (the worker keeps them for later runs). */
export function backboneLoader(
  base: () => string | null,
): (name: BackboneName) => Promise<tf.LayersModel> {
  const loaded = new Map<string, Promise<tf.LayersModel>>();
  return (name) => {
    const url = new URL(backboneUrl(name, base()), self.location.href).href;
    let p = loaded.get(url);
    if (!p) {
      p = tf.loadLayersModel(url);
      p.catch(() => loaded.delete(url));
      loaded.set(url, p);
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
