/// <reference lib="webworker" />
import { expose, type ProxyOrClone } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { initCompute } from '../platform/index.ts';
import { PredictSession, fetchModelFiles, type ModelFiles } from '../predict/session.ts';
import { decodeInBrowser } from '../vision/decode-browser.ts';

const session = new PredictSession((url) => tf.loadLayersModel(url), decodeInBrowser);

// Prediction off the main thread; files cross as bytes, results as plain arrays.
const api = {
  /** wasm: the same kernels as `npm run predict` in Node (parity), and the fastest backend on a CPU. */
  init: async () => (await initCompute({ prefer: 'wasm' })).name,
  useBackbone: (url: string) => session.useBackbone(url),
  useModel: (files: ModelFiles) => session.useModel(files),
  /** Fetches a model folder (e.g. the shipped one); returns its files so the page can save them. */
  fetchModel: (base: string) => fetchModelFiles(base, fetch),
  predict: (
    files: { name: string; bytes: Uint8Array }[],
    onDone?: ProxyOrClone<(d: number, n: number) => void>,
  ) => session.predict(files, onDone as ((d: number, n: number) => void) | undefined),
};

expose(api);
export type PredictApi = typeof api;
