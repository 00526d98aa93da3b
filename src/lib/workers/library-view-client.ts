import { wrap, type Remote } from 'comlink';
import type { LibraryViewApi } from './library-view.worker.ts';

export type { TitleMatch } from './library-view.ts';

let remote: Remote<LibraryViewApi> | undefined;

/** The worker that holds the library's table rows and profile, created on first use. */
export function libraryViewWorker(): Remote<LibraryViewApi> {
  remote ??= wrap<LibraryViewApi>(
    new Worker(new URL('./library-view.worker.ts', import.meta.url), {
      type: 'module',
      name: 'library-view',
    }),
  );
  return remote;
}
