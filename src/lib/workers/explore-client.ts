import { wrap, type Remote } from 'comlink';
import type { ExploreApi } from './explore.worker.ts';

let remote: Remote<ExploreApi> | undefined;

/** The Explore worker, created on first use. */
export function exploreWorker(): Remote<ExploreApi> {
  remote ??= wrap<ExploreApi>(
    new Worker(new URL('./explore.worker.ts', import.meta.url), {
      type: 'module',
      name: 'explore',
    }),
  );
  return remote;
}
