/**
 * The tfjs wasm binaries as Vite assets: the built site serves them itself (no CDN; the studio
 * works offline). Browser and worker bundles only: Node cannot import `?url`.
 */
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WasmPaths } from './gpu.ts';

/** File name → served URL, the map `setWasmPaths` takes. */
export const WASM_URLS: WasmPaths = {
  'tfjs-backend-wasm.wasm': plainUrl,
  'tfjs-backend-wasm-simd.wasm': simdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
};
