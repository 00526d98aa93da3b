import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { crossOriginIsolation, sharedFolder } from './scripts/vite-plugins.ts';
import { marqueePwa } from './scripts/pwa-plugin.ts';
import { siteBase } from './scripts/site-base.ts';
import { tfliteRuntime } from './scripts/tflite-plugin.ts';
import { wasmThreads } from './scripts/wasm-threads-plugin.ts';

/** Vite config: the studio is a static site; dev/preview also serve ../shared under /__shared/. */
export default defineConfig({
  // '/' unless built for a sub-path: MARQUEE_BASE=/marquee/ npm run build (README, Deployment).
  base: siteBase(process.env.MARQUEE_BASE),
  plugins: [
    svelte(),
    crossOriginIsolation(),
    sharedFolder(),
    tfliteRuntime(),
    marqueePwa(),
    wasmThreads(),
  ],
  resolve: {
    alias: {
      $lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
      // The package's `module` entry (dist/index.js) imports a file it does not ship; its flat
      // ES bundle is complete.
      '@tensorflow/tfjs-tflite': fileURLToPath(
        new URL('./node_modules/@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js', import.meta.url),
      ),
    },
  },
  worker: {
    format: 'es',
    // Worker bundles get only these plugins (not the list above) in builds.
    plugins: () => [wasmThreads()],
    rolldownOptions: {
      output: {
        // As in the page's bundle: without this, workers kept 1.1 MB of tfjs licence headers.
        comments: { legal: false },
        // Named chunks for the big optional runtimes, so the service worker can leave them out
        // of the precache by name (scripts/pwa-plugin.ts) and cache them on first use.
        codeSplitting: {
          groups: [
            { name: 'h5wasm', test: /[\\/]node_modules[\\/]h5wasm[\\/]/ },
            // Only tfjs-tflite itself: by default a group also takes its captured modules'
            // dependencies, which put shared tfjs-core code in this first-use chunk, so the
            // predict worker imported it and could not start offline.
            {
              name: 'tflite',
              test: /[\\/]node_modules[\\/]@tensorflow[\\/]tfjs-tflite[\\/]/,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  // No source maps in production: they were 153 of the 188 MB of dist/ (mostly tfjs' own), every
  // visitor's service worker would see them, and we run no error service to upload hidden ones to;
  // `npm run dev` keeps full maps for debugging.
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 4096 },
  // Pre-bundle what workers and lazily loaded panels import, so the dev server (and vitest's
  // browser mode) does not discover them mid-run and reload the page. The wasm binaries are
  // located by explicit ?url imports (src/lib/platform/wasm-urls.ts), so bundling is safe.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-webgpu',
      'comlink',
      'idb',
      'papaparse',
      'd3-scale',
      'd3-scale-chromatic',
    ],
  },
});
