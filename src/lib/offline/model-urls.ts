/**
 * The Cache Storage cache that holds model files. Its only writer is net/model-store.ts (files
 * downloaded from model hosts and files the user drops in Settings); the service worker
 * leaves it alone (see sw.ts). `cleanupOutdatedCaches` only deletes Workbox precaches, so
 * this cache survives app updates.
 */

/** The name of the cache for model files (weights at a URL never change, so they are read cache-first). */
export const MODEL_CACHE_NAME = 'marquee-models';
