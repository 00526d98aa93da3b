/// <reference lib="webworker" />
/**
 * One worker bundle for every tfjs worker (posters, style, predict, train, backbones). Vite
 * bundles each `new Worker(new URL(…))` entry on its own, so five entries carried five copies of
 * tfjs; one entry that imports its role's module dynamically gets a single tfjs chunk that all
 * five share (downloaded once, cached once). The worker's name says its role; its first message
 * carries the settings tfjs needs before it starts (wasm threads). The role module then calls
 * comlink's expose itself; messages that arrived meanwhile are replayed to it in order.
 */
import { requestWasmThreads } from '../platform/threads.ts';
import { isConfigMessage, COMPUTE_CONFIG_KEY, type ComputeRole } from './compute-roles.ts';

const ROLES: Record<ComputeRole, () => Promise<unknown>> = {
  posters: () => import('./poster.worker.ts'),
  style: () => import('./style.worker.ts'),
  predict: () => import('./predict.worker.ts'),
  train: () => import('./train.worker.ts'),
  backbones: () => import('./backbones.worker.ts'),
};

const early: unknown[] = [];
let configured: () => void;
const config = new Promise<void>((resolve) => (configured = resolve));

function hold(e: MessageEvent): void {
  if (isConfigMessage(e.data)) {
    requestWasmThreads(e.data[COMPUTE_CONFIG_KEY].threads);
    configured();
  } else early.push(e.data);
}

self.addEventListener('message', hold);
const load = ROLES[self.name as ComputeRole];
// No top-level await: messages must keep arriving (into `hold`) while the role loads.
void config
  .then(() => {
    if (!load) throw new Error(`compute worker: unknown role "${self.name}"`);
    return load();
  })
  .then(() => {
    self.removeEventListener('message', hold);
    for (const data of early) self.dispatchEvent(new MessageEvent('message', { data }));
  })
  .catch((e: unknown) => {
    // Surface it as the Worker's error event (a rejection here would only reach the console).
    setTimeout(() => {
      throw e;
    });
  });
