import { proxy, type Remote } from 'comlink';
import type { BackendName } from '../platform/index.ts';
import type { RgbaImage, StyleIteration, StyleSettings } from '../style/stylize.ts';
import { startWorker } from './remote.ts';
import type { StyleApi, StyleRunResult } from './style.worker.ts';
import { startComputeWorker } from './compute-client.ts';

export type { BackboneInfo, InstantRender, StyleRunResult } from './style.worker.ts';
export type { InstantInfo } from './instant-models.ts';

/** The style worker and the backend it was started with. */
export interface StyleWorker {
  api: Remote<StyleApi>;
  backend: string;
  /** Ends the worker (and frees everything it held). */
  terminate(): void;
}

let nextId = 0;

/**
 * Starts a style worker on the given backend (the main thread's choice, passed by name). With
 * `null` no tfjs backend starts (the instant networks run on their own runtime): call
 * `api.init` before the paper's method; `backend` is then ''.
 */
export async function startStyleWorker(prefer: BackendName | 'auto' | null): Promise<StyleWorker> {
  const worker = startComputeWorker('style');
  return startWorker<StyleApi, { backend: string }>(worker, async (api) => ({
    backend: prefer === null ? '' : await api.init(prefer),
  }));
}

/** A running style transfer: its result, and a way to cancel it. */
export interface StyleJob {
  id: string;
  result: Promise<StyleRunResult>;
  cancel(): Promise<boolean>;
}

/** Runs style transfer in the worker (from `initImage` for init 'image'); the input buffers are copied (the caller keeps its images). */
export function runStyle(
  w: StyleWorker,
  content: RgbaImage,
  style: RgbaImage,
  settings: StyleSettings,
  onIteration: (it: StyleIteration) => void,
  initImage?: RgbaImage,
): StyleJob {
  const id = `style-${++nextId}`;
  const result = w.api.stylize(id, content, style, settings, proxy(onIteration), initImage);
  return { id, result, cancel: () => w.api.cancel(id) };
}
