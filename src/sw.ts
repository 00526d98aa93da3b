/**
 * Marquee's service worker (built by vite-plugin-pwa's injectManifest into dist/sw.js).
 *  1. Offline: precaches the app shell and every built JS/CSS/wasm file, so the studio opens with
 *     no network after one visit; model weights fetched later are kept in a CacheFirst cache.
 *  2. Cross-origin isolation on hosts that cannot send headers (GitHub Pages, plain buckets):
 *     like coi-serviceworker, it adds COOP/COEP/CORP to every response it serves, so a page it
 *     controls gets `crossOriginIsolated` (SharedArrayBuffer → threaded tfjs-backend-wasm).
 * Updates: no skipWaiting, so a new version never swaps the precache under a running page whose
 * lazy chunks would then vanish; it takes over once every Marquee tab has closed. clientsClaim is
 * still needed so the first visit is controlled without a second navigation.
 */
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { clientsClaim } from 'workbox-core';
import type { WorkboxPlugin } from 'workbox-core/types.js';
import { mustBypass, withIsolationHeaders } from './lib/offline/isolation-headers.ts';
import { MODEL_CACHE_NAME, isModelUrl } from './lib/offline/model-urls.ts';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

/** Runs last on every strategy below, so precached, cached and network responses all get the headers. */
const isolate: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolationHeaders(response),
};

clientsClaim();
addPlugins([isolate]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// The studio routes by hash, so navigations are to index.html; any other path (a bookmarked
// `/?utm=…`, a stale deep link) gets the shell too. Files and the dev-only /__shared/ are left alone.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/\/__shared\//, /\/[^/?]+\.[^/?]+(\?.*)?$/],
  }),
);

// Weights at a given URL never change, so the cache answers first. 300 entries holds the shared
// models (≈ 60 shards) several times over; purgeOnQuotaError drops them before the app data.
registerRoute(
  ({ url }) => isModelUrl(url, self.location.origin),
  new CacheFirst({
    cacheName: MODEL_CACHE_NAME,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 300, purgeOnQuotaError: true }),
      isolate,
    ],
  }),
);

// Everything else still goes through the worker, only to gain the isolation headers.
registerRoute(({ request }) => !mustBypass(request), new NetworkOnly({ plugins: [isolate] }));
