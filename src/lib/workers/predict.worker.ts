/// <reference lib="webworker" />
import { expose, type ProxyOrClone } from 'comlink';
import { initCompute } from '../platform/index.ts';
import { ModelUnavailableError, modelFetchFunc } from '../net/model-store.ts';
import { PredictSession, fetchModelFiles, type ModelFiles } from '../predict/session.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';
import { loadLayersModelCached } from './backbone-weights.ts';

// Every model file goes through the model store: cached on the first visit, read offline after.
let unavailable: ModelUnavailableError | null = null;
const session = new PredictSession(
  (url) =>
    loadLayersModelCached(url).catch((e: unknown) => {
      if (e instanceof ModelUnavailableError) unavailable = e;
      throw e;
    }),
  decodeInBrowser,
);
const storeFetch = modelFetchFunc() as typeof fetch;

// Prediction off the main thread; files cross as bytes, results as plain arrays.
const api = {
  /** wasm: the same kernels as `npm run predict` in Node (parity), and the fastest backend on a CPU. */
  init: async () => (await initCompute({ prefer: 'wasm' })).name,
  /** Loads the backbone; offline with nothing stored, rejects with the store's plain message (what to do, how big). */
  useBackbone: async (url: string) => {
    unavailable = null;
    try {
      await session.useBackbone(url);
    } catch (e) {
      throw unavailable ?? e;
    }
  },
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
