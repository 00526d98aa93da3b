/** Test-only worker: writes to a named library from a Worker context and reports what it did. */
import { openLibrary } from './index.ts';
import { makeMovie, makePoster, randomBytes } from '../../test/storage-helpers.ts';

self.onmessage = async (event: MessageEvent<{ name: string }>) => {
  try {
    const lib = await openLibrary({ name: event.data.name });
    const movies = await lib.putMovies([makeMovie('tmdb:1', { tmdbId: 1 }), makeMovie('tmdb:2')]);
    const posters = await lib.putPosters([makePoster('tmdb:1', randomBytes(1234, 5))]);
    const estimate = await lib.storageEstimate();
    const persisted = await lib.requestPersistence();
    lib.close();
    self.postMessage({ ok: true, movies, posters, estimate, persisted });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e) });
  }
};
