import { proxy, type Remote } from 'comlink';
import type { PosterExperimentResult } from '../experiments/poster-runner.ts';
import type { AnyPosterSpec } from '../experiments/poster-spec.ts';
import type { BackendName } from '../platform/choose.ts';
import type { PosterApi } from './poster.worker.ts';
import type { PosterEpoch } from './poster-types.ts';
import type { Progress } from '../core/progress.ts';
import { startWorker } from './remote.ts';
import { siteModelsUrl } from './site-models.ts';
import { startComputeWorker } from './compute-client.ts';

export type { PosterEpoch } from './poster-types.ts';

/**
 * ../shared/models as the dev server serves it. Only the dev server (`import.meta.env.DEV`, a
 * build-time constant, so a built site never holds this path) and tests that pass it explicitly
 * use it; shipped backbones come from the site itself everywhere.
 */
export const DEV_MODELS_BASE = '/__shared/models/';

/** The poster worker and the backend it was started with. */
export interface PosterWorker {
  api: Remote<PosterApi>;
  backend: string;
  /** Ends the worker (frees its tensors, backbones and wasm instance). */
  terminate(): void;
}

export interface PosterWorkerOptions {
  /** Library database name (tests use a throwaway one); the app's library when absent. */
  database?: string;
  /** A folder laid out like ../shared/models (tests pass DEV_MODELS_BASE); null = none; DEV_MODELS_BASE in dev builds by default. */
  modelsBase?: string | null;
  /** The site's models/ folder with the shipped backbones; its own by default; null = none. */
  siteModels?: string | null;
}

/** Starts a poster worker on the given backend (the main thread's choice, passed by name). */
export async function startPosterWorker(
  prefer: BackendName | 'auto',
  opts: PosterWorkerOptions = {},
): Promise<PosterWorker> {
  const worker = startComputeWorker('posters');
  return startWorker<PosterApi, { backend: string }>(worker, async (api) => {
    const backend = await api.init(prefer);
    if (opts.database) await api.useDatabase(opts.database);
    await api.setModelSources({
      site: opts.siteModels !== undefined ? opts.siteModels : siteModelsUrl(),
      shared:
        opts.modelsBase !== undefined
          ? opts.modelsBase
          : import.meta.env.DEV
            ? DEV_MODELS_BASE
            : null,
    });
    return { backend };
  });
}

/** A running poster experiment: its result (rejects with an AbortError when cancelled), and a way to cancel it. */
export interface PosterJob {
  id: string;
  result: Promise<PosterExperimentResult>;
  cancel(): Promise<boolean>;
}

let nextId = 0;

/** Runs a `data: { library: true }` posters spec in the worker; the caller saves the result. */
export function runPosterJob(
  w: PosterWorker,
  spec: AnyPosterSpec,
  onProgress: (p: Progress) => void = () => {},
  onEpoch: (e: PosterEpoch) => void = () => {},
): PosterJob {
  const id = `posters-${++nextId}`;
  const result = w.api.run(id, spec, proxy(onProgress), proxy(onEpoch));
  return { id, result, cancel: () => w.api.cancel(id) };
}
