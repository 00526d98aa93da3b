import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { crossOriginIsolation, sharedFolder } from './scripts/vite-plugins.ts';
import { marqueePwa } from './scripts/pwa-plugin.ts';

/** Vite config: the studio is a static site; dev/preview also serve ../shared under /__shared/. */
export default defineConfig({
  plugins: [svelte(), crossOriginIsolation(), sharedFolder(), marqueePwa()],
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  // tfjs-backend-wasm loads its .wasm files by URL; pre-bundling would break those paths.
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
