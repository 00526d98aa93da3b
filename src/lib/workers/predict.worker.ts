/// <reference lib="webworker" />
import { expose, type ProxyOrClone } from 'comlink';
import { initCompute } from '../platform/index.ts';
import { modelFetchFunc } from '../net/model-store.ts';
import type { PredictOptions } from '../predict/predictor.ts';
import { PredictSession, fetchModelFiles, type ModelFiles } from '../predict/session.ts';
import { openLibrary, type Library } from '../storage/index.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';
import { loadLayersModelCached } from './backbone-weights.ts';
import { TaskRegistry } from './tasks.ts';

// Every model file goes through the model store: cached on the first visit, read offline after.
// Offline with nothing stored, the session passes the store's plain message through unchanged.
let library: Promise<Library> | undefined;
const lib = () => (library ??= openLibrary({ onVersionChange: () => (library = undefined) }));
const session = new PredictSession(loadLayersModelCached, decodeInBrowser, lib);
const tasks = new TaskRegistry();
const storeFetch = modelFetchFunc() as typeof fetch;

// Prediction off the main thread; files cross as bytes, results as plain arrays.
const api = {
  /** wasm: the same kernels as `npm run predict` in Node (parity), and the fastest backend on a CPU. */
  init: async () => (await initCompute({ prefer: 'wasm' })).name,
  /** Loads the backbone; offline with nothing stored, rejects with the store's plain message (what to do, how big). */
  useBackbone: (url: string) => session.useBackbone(url),
  useModel: (files: ModelFiles) => session.useModel(files),
  /** Fetches a model folder (e.g. the shipped one); returns its files so the page can save them. */
  fetchModel: (base: string) => fetchModelFiles(base, storeFetch),
  predict: (
    files: { name: string; bytes: Uint8Array }[],
    onDone?: ProxyOrClone<(d: number, n: number) => void>,
    options?: PredictOptions,
  ) => session.predict(files, onDone as ((d: number, n: number) => void) | undefined, options),
  /** The library's k nearest posters to each query; indexes the library first (cancellable by taskId). */
  neighbours: (
    taskId: string,
    queries: Float32Array[],
    k: number,
    onProgress?: ProxyOrClone<(d: number, n: number) => void>,
  ) =>
    tasks.run(taskId, (signal) =>
      session.neighbours(
        queries,
        k,
        signal,
        onProgress as ((d: number, n: number) => void) | undefined,
      ),
    ),
  cancel: (taskId: string) => tasks.cancel(taskId),
  /** The active model as one tfjs model + metadata.json, for any tfjs app. */
  fullModel: () => session.fullModelFiles(),
};

expose(api);
export type PredictApi = typeof api;
