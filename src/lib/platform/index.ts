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
import '@tensorflow/tfjs-core';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js';
import { configureWasm } from './gpu.ts';
import { registerWasmTrainingKernels } from './kernels/index.ts';
import { WASM_URLS } from './wasm-urls.ts';

configureWasm(wasmBackend, WASM_URLS);
registerWasmTrainingKernels();
// Threads: with cross-origin isolation tfjs picks the threaded SIMD build; its pthread workers
// load the factory that scripts/wasm-threads-plugin.ts serves untransformed. The count comes from
// the realm's setting (threads.ts), applied when the wasm backend first starts (gpu.ts).

export { BACKEND_ORDER, chooseWinner, isBackendName } from './choose.ts';
export type { BackendChoice, BackendName, BackendProbe, ChoiceCache } from './choose.ts';
export {
  DEFAULT_BUDGET_MS,
  deviceKey,
  probeBackends,
  useBackend,
  wasmThreadPlan,
  wasmThreadsRunning,
} from './gpu.ts';
export {
  MAX_WASM_THREADS,
  defaultWasmThreads,
  isThreadsSetting,
  requestWasmThreads,
  type ThreadsSetting,
} from './threads.ts';
export { initCompute, localStorageCache, memoryCache } from './init.ts';
export type { InitComputeOptions } from './init.ts';
export { detectWasm, detectWebGl2, detectWebGpu } from './env.ts';
