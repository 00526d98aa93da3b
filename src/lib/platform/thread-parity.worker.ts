/// <reference lib="webworker" />
// A separate realm for threads.browser.test.ts: the wasm backend starts once per realm, so the
// single-threaded reference runs here while the test page runs threaded.
import { expose } from 'comlink';
import { initCompute, wasmThreadsRunning, type ThreadsSetting } from './index.ts';
import { convMatmulPass } from './kernels/thread-parity.ts';

const api = {
  run: async (threads: ThreadsSetting) => {
    const choice = await initCompute({ prefer: 'wasm', threads });
    return { backend: choice.name, threads: wasmThreadsRunning(), outputs: await convMatmulPass() };
  },
};

expose(api);
export type ThreadParityApi = typeof api;
