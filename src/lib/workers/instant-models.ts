/**
 * Loads the instant-stylization networks for the style worker: the two .tflite files the site
 * ships (public/models/), read through the model store (Cache Storage, kept for offline use after
 * the first use; never precached), on the TFLite runtime the site serves under tflite/.
 */
import { fetchModelFile } from '../net/model-store.ts';
import { InstantStylizer } from '../style/instant.ts';
import { instantThreads, loadTfliteNets } from '../style/tflite-nets.ts';

/** The shipped model folder, relative to the site's models/ folder. */
export const INSTANT_MODEL_DIR = 'magenta-arbitrary-stylization-int8/';

/** What loading took, for the panel's status line. */
export interface InstantInfo {
  threads: number;
  loadMs: number;
  /** Bytes of the two model files. */
  modelBytes: number;
}

const siteUrl = (path: string) => new URL(`${import.meta.env.BASE_URL}${path}`, location.href).href;

async function modelBytes(name: string): Promise<ArrayBuffer> {
  const res = await fetchModelFile(siteUrl(`models/${INSTANT_MODEL_DIR}${name}`));
  return res.arrayBuffer();
}

/** Fetches (or reads from the cache) both networks and starts them; `threads` defaults to instantThreads(). */
export async function loadInstantStylizer(
  threads = instantThreads(),
): Promise<{ stylizer: InstantStylizer; info: InstantInfo }> {
  const t0 = performance.now();
  const [prediction, transfer] = await Promise.all([
    modelBytes('prediction.tflite'),
    modelBytes('transfer.tflite'),
  ]);
  const nets = await loadTfliteNets(prediction, transfer, {
    runtimeUrl: siteUrl('tflite/'),
    numThreads: threads,
  });
  return {
    stylizer: new InstantStylizer(nets),
    info: {
      threads,
      loadMs: performance.now() - t0,
      modelBytes: prediction.byteLength + transfer.byteLength,
    },
  };
}
