import type { ThreadsSetting } from '../platform/threads.ts';
import { COMPUTE_CONFIG_KEY, type ComputeConfig, type ComputeRole } from './compute-roles.ts';

let config: ComputeConfig = { threads: 'auto' };

/** Sets the wasm threads every compute worker started from now on runs with (Settings). */
export function setComputeThreads(threads: ThreadsSetting): void {
  config = { ...config, threads };
}

/**
 * Starts a tfjs worker for a role: all roles share compute.worker.ts, so tfjs is bundled (and
 * downloaded) once for all of them. Its first message is the config, sent before anything else.
 */
export function startComputeWorker(role: ComputeRole): Worker {
  const worker = new Worker(new URL('./compute.worker.ts', import.meta.url), {
    type: 'module',
    name: role,
  });
  worker.postMessage({ [COMPUTE_CONFIG_KEY]: config });
  return worker;
}
