/**
 * Which requests hold model weights worth keeping for offline use. tfjs loads a model as a
 * `model.json` plus weight shards named `group1-shard1of4` (often with a `.bin` suffix); the
 * studio serves its own under `/models/` and, on dev/preview, the shared folder under
 * `/__shared/models/`; users may also load Google's hosted tfjs models.
 */

/** Official hosts of pretrained tfjs weights (Google's bucket, TF Hub and Kaggle, where TF Hub redirects). */
export const MODEL_HOSTS: readonly string[] = [
  'storage.googleapis.com',
  'tfhub.dev',
  'www.kaggle.com',
  'kaggle.com',
];

/** The name of the runtime cache for model files (CacheFirst: weights at a URL never change). */
export const MODEL_CACHE_NAME = 'marquee-models';

const SHARD = /^group\d+-shard\d+of\d+(\.bin)?$/;
const MODEL_FILE = /(^|[-_.])model\.json$|\.bin$|\.tflite$|\.onnx$/;

/** True for the last path segment of a tfjs / TFLite model file. */
export function isModelFileName(name: string): boolean {
  return SHARD.test(name) || MODEL_FILE.test(name);
}

/**
 * True when `url` is model data: on our own origin, anything under a `/models/` folder (which
 * covers `/__shared/models/`) or a model-like file name; on another origin only model-like
 * files on one of MODEL_HOSTS (so a random cross-origin `.json` is never pinned in the cache).
 */
export function isModelUrl(url: URL, appOrigin: string): boolean {
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  if (url.origin === appOrigin) {
    return url.pathname.includes('/models/') || isModelFileName(name);
  }
  if (!MODEL_HOSTS.includes(url.hostname) || url.protocol !== 'https:') return false;
  return isModelFileName(name) || url.pathname.includes('/models/');
}
