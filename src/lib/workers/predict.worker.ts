/// <reference lib="webworker" />
import { expose, type ProxyOrClone } from 'comlink';
import { initCompute } from '../platform/index.ts';
import { modelFetchFunc } from '../net/model-store.ts';
import { PredictSession, fetchModelFiles, type ModelFiles } from '../predict/session.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';
import { loadLayersModelCached } from './backbone-weights.ts';

// Every model file goes through the model store: cached on the first visit, read offline after.
// Offline with nothing stored, the session passes the store's plain message through unchanged.
const session = new PredictSession(loadLayersModelCached, decodeInBrowser);
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
  ) => session.predict(files, onDone as ((d: number, n: number) => void) | undefined),
};

expose(api);
export type PredictApi = typeof api;
