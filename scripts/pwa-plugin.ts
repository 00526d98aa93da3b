import { VitePWA } from 'vite-plugin-pwa';
import type { PluginOption } from 'vite';
import { isFirstUseOnly } from '../src/lib/offline/first-use.ts';

/**
 * Largest file the service worker precaches. tfjs chunks are 1–3 MB and the tfjs-backend-wasm
 * binaries up to ~6 MB (threaded SIMD); Workbox's 2 MiB default would silently leave them out
 * and the studio would not run offline. 32 MiB still stops an accidental data file.
 */
const MAX_PRECACHE_FILE_BYTES = 32 * 1024 * 1024;

/** Drops the big optional runtimes (src/lib/offline/first-use.ts) from the precache manifest. */
export function leaveOutFirstUse<T extends { url: string }>(
  entries: T[],
): { manifest: T[]; warnings: string[] } {
  return { manifest: entries.filter((e) => !isFirstUseOnly(e.url)), warnings: [] };
}

/**
 * Build-time only (used by vite.config.ts): vite-plugin-pwa set up for src/sw.ts.
 * - injectManifest, not generateSW: our worker must add isolation headers to every response,
 *   which needs our own code around Workbox.
 * - injectRegister null: src/lib/offline/register.ts registers it, because it must also reload
 *   once to become cross-origin isolated, which the plugin's registration cannot do.
 * - rollupFormat iife: sw.js is a classic script, so it also registers in browsers without
 *   module service workers (Firefox shipped them years after Chromium).
 */
export function marqueePwa(): PluginOption {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src',
    filename: 'sw.ts',
    injectRegister: null,
    manifest: {
      name: 'Marquee',
      short_name: 'Marquee',
      description: 'A browser-only machine-learning studio for movie genres',
      theme_color: '#14161c',
      background_color: '#14161c',
      display: 'standalone',
      start_url: '.',
      // An SVG scales to every size browsers ask for, so no PNG set is generated.
      icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
    },
    injectManifest: {
      rollupFormat: 'iife',
      globPatterns: ['**/*.{js,css,html,svg,wasm,json,webmanifest}'],
      // The plugin adds manifest.webmanifest to the precache itself; globbing it too listed it twice.
      // models/ (shipped weights) loads on first use through net/model-store.ts, never precached.
      globIgnores: ['**/node_modules/**', 'manifest.webmanifest', 'models/**'],
      maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      manifestTransforms: [async (entries) => leaveOutFirstUse(entries)],
    },
    // The icon is already matched by the svg glob; the plugin's own icon entry would duplicate it.
    includeManifestIcons: false,
    devOptions: { enabled: false },
  });
}
