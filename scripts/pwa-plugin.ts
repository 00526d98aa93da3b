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
      // The SVG scales to any size; the PNGs (npm run make-icons) are what installability checks
      // and most launchers ask for, plus a maskable one for Android's adaptive icons.
      icons: [
        { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        {
          src: 'icons/icon-maskable-512.png',
          sizes: '512x512',
          type: 'image/png',
          purpose: 'maskable',
        },
      ],
    },
    injectManifest: {
      rollupFormat: 'iife',
      globPatterns: ['**/*.{js,css,html,svg,wasm,json,webmanifest}', 'icons/*.png'],
      // The plugin adds manifest.webmanifest to the precache itself; globbing it too listed it twice.
      // models/ (shipped weights) loads on first use through net/model-store.ts, never precached.
      globIgnores: ['**/node_modules/**', 'manifest.webmanifest', 'models/**'],
      maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      manifestTransforms: [async (entries) => leaveOutFirstUse(entries)],
    },
    // The icons are already matched by the globs; the plugin's own icon entries would duplicate them.
    includeManifestIcons: false,
    devOptions: { enabled: false },
  });
}
