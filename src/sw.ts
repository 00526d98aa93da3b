/**
 * Marquee's service worker (built by vite-plugin-pwa's injectManifest into dist/sw.js).
 *  1. Offline: precaches the app shell and the built JS/CSS/wasm every panel needs, so the studio
 *     opens with no network after one visit; big optional runtimes (lib/offline/first-use.ts) are
 *     kept on their first use. Model weights are NOT routed here: net/model-store.ts keeps them
 *     in Cache Storage itself (see below).
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
import { CacheFirst, NetworkOnly, StaleWhileRevalidate } from 'workbox-strategies';
import { clientsClaim } from 'workbox-core';
import type { WorkboxPlugin } from 'workbox-core/types.js';
import { mustBypass, withIsolationHeaders } from './lib/offline/isolation-headers.ts';
import { FIRST_USE_CACHE_NAME, isFirstUseOnly, isHashedAsset } from './lib/offline/first-use.ts';

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

// No model route. Weights are kept by net/model-store.ts, which reads Cache Storage before the
// network in pages and workers alike, so it works on the very first visit (before this worker
// controls anything) and for fetches this worker never sees. A CacheFirst route here would
// write the same 60–80 MB files a second time into the same cache, and its ExpirationPlugin
// (maxEntries, purgeOnQuotaError) could silently delete weight files the user dropped in Settings.
// Model requests therefore pass through the route below like any other request.

// Big optional runtimes (h5wasm, TFLite, wasm without SIMD) are not precached: each is kept on
// its first use. Hashed build assets never change, so the cache answers first; the TFLite
// runtime keeps its file names across versions, so it is revalidated in the background.
const sitePath = (url: URL): string =>
  url.origin === self.location.origin
    ? url.pathname.slice(new URL(self.registration.scope).pathname.length)
    : '';
registerRoute(
  ({ url }) => isFirstUseOnly(sitePath(url)) && isHashedAsset(sitePath(url)),
  new CacheFirst({ cacheName: FIRST_USE_CACHE_NAME, plugins: [isolate] }),
);
registerRoute(
  ({ url }) => isFirstUseOnly(sitePath(url)) && !isHashedAsset(sitePath(url)),
  new StaleWhileRevalidate({ cacheName: FIRST_USE_CACHE_NAME, plugins: [isolate] }),
);

// Everything else still goes through the worker, only to gain the isolation headers.
registerRoute(({ request }) => !mustBypass(request), new NetworkOnly({ plugins: [isolate] }));
