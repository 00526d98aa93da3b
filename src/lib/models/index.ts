/** Public API of models/ for the browser and workers (libsvm's wasm served by Vite). */
import './libsvm-browser.ts';

export * from './shared.ts';
