/**
 * Files the service worker does not precache but keeps after their first use: big runtimes that
 * only some features need. Paths are relative to the site root. scripts/pwa-plugin.ts leaves
 * them out of the precache manifest; src/sw.ts caches them when the page first fetches them.
 */
export const FIRST_USE_ONLY: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /^tflite\//, why: 'TFLite runtime (3.5 MB per variant): instant style only' },
  { pattern: /^assets\/tflite-[\w-]+\.js$/, why: 'tfjs-tflite (1.5 MB): instant style only' },
  {
    pattern: /^assets\/h5wasm-[\w-]+\.js$/,
    why: 'h5wasm (4.8 MB): reading Keras .h5 weights only',
  },
  {
    pattern: /^assets\/tfjs-backend-wasm-(?!simd|threaded)[\w-]+\.wasm$/,
    why: 'wasm without SIMD: browsers from before 2021 only',
  },
];

/** Cache Storage name for FIRST_USE_ONLY files. */
export const FIRST_USE_CACHE_NAME = 'marquee-first-use';

/** True for a site-relative path (no leading slash) in FIRST_USE_ONLY. */
export function isFirstUseOnly(path: string): boolean {
  return FIRST_USE_ONLY.some((f) => f.pattern.test(path));
}

/** True for a hashed build asset (its name changes with its content), safe to serve cache-first. */
export function isHashedAsset(path: string): boolean {
  return path.startsWith('assets/');
}
