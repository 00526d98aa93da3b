import { releaseProxy, wrap, type Remote } from 'comlink';

/** A comlink worker that answered its setup: its API, what setup returned, and a way to end it. */
export type StartedWorker<T, S> = S & {
  api: Remote<T>;
  /** Ends the worker (and frees everything it held: tensors, models, wasm memory). */
  terminate(): void;
};

/**
 * Wraps a worker with comlink and runs `setup` on its API (activate a backend, load a model…);
 * if setup fails the worker is ended before the error propagates, so no half-started worker
 * lingers. The caller creates the Worker: Vite bundles a worker only from a literal
 * `new Worker(new URL('./x.worker.ts', import.meta.url))` in the importing module.
 */
export async function startWorker<T, S extends object>(
  worker: Worker,
  setup: (api: Remote<T>) => Promise<S>,
): Promise<StartedWorker<T, S>> {
  const api = wrap<T>(worker);
  try {
    const s = await setup(api);
    return {
      ...s,
      api,
      terminate: () => {
        api[releaseProxy]();
        worker.terminate();
      },
    };
  } catch (e) {
    worker.terminate();
    throw e;
  }
}
