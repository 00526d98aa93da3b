/**
 * Public API of the compute platform for the browser and workers.
 *
 * This module pulls in all of TensorFlow.js (~1.5 MB) and must stay out of the first bundle:
 * UI code loads it lazily, `const platform = await import('$lib/platform')`, and workers import
 * it statically inside the worker file. A worker does not benchmark again: the main thread passes
 * the name it chose, `initCompute({ prefer: choice.name })`.
 */
// The ES bundle, not the package entry: the entry's wasm-out/*.js files are CommonJS, which the
// Vite dev server cannot serve while vite.config.ts excludes the package from pre-bundling.
// Naming tfjs-core here makes Vite pre-bundle it, so that bundle's bare '@tensorflow/tfjs-core'
// import resolves to the same engine instance as '@tensorflow/tfjs' (else: a raw second copy).
import { env } from '@tensorflow/tfjs-core';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js';
import { configureWasm } from './gpu.ts';
import { registerWasmTrainingKernels } from './kernels/index.ts';
import { WASM_URLS } from './wasm-urls.ts';

configureWasm(wasmBackend, WASM_URLS);
registerWasmTrainingKernels();

// Threads are off on purpose. With cross-origin isolation (our service worker provides it), tfjs
// picks the threaded wasm build, whose pthread workers load the emscripten factory through
// Function.prototype.toString(); after Vite bundles and minifies it, that source refers to renamed
// outer variables and every pthread worker dies with "ReferenceError: e is not defined", so the
// backend never finishes initialising (seen in the built app in Chromium 156, tfjs 4.22). SIMD
// stays on; single-threaded wasm measured ~47 GFLOPS here, far ahead of the software GPU adapters.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

export { BACKEND_ORDER, chooseWinner, isBackendName } from './choose.ts';
export type { BackendChoice, BackendName, BackendProbe, ChoiceCache } from './choose.ts';
export { DEFAULT_BUDGET_MS, deviceKey, probeBackends, useBackend } from './gpu.ts';
export { initCompute, localStorageCache, memoryCache } from './init.ts';
export type { InitComputeOptions } from './init.ts';
export { detectWasm, detectWebGl2, detectWebGpu } from './env.ts';
