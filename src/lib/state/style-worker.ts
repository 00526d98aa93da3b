/**
 * The one style worker the Style panel uses for both methods. It starts without a tfjs backend
 * (the instant networks run on the TFLite runtime, so the first instant result does not wait for
 * tfjs), and activates the studio's compute backend only when the paper's method first needs it.
 */
import { startStyleWorker, type StyleWorker } from '../workers/style-client.ts';
import { compute } from './compute.svelte.ts';

let worker: Promise<StyleWorker> | undefined;
let backend: Promise<string> | undefined;

/** The style worker, started once (again after a failed start). */
export function styleWorker(): Promise<StyleWorker> {
  worker ??= startStyleWorker(null).catch((e: unknown) => {
    worker = undefined;
    throw e;
  });
  return worker;
}

/** The style worker with the studio's compute backend active (for VGG and the paper's method). */
export async function styleWorkerWithBackend(): Promise<StyleWorker & { backendName: string }> {
  const w = await styleWorker();
  backend ??= compute
    .ensure()
    .then((c) => w.api.init(c.name))
    .catch((e: unknown) => {
      backend = undefined;
      throw e;
    });
  return Object.assign(w, { backendName: await backend });
}
