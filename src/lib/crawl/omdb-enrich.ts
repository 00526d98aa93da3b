import type { Movie } from '../data/types.ts';
import { HttpError } from '../net/http.ts';
import type { OmdbClient } from '../net/omdb.ts';
import { BadKeyError } from '../net/tmdb.ts';
import type { CrawlLogEntry } from './state.ts';

/** Adds OMDb's IMDb votes (and certificate, director, runtime where TMDb had none) to a movie; a failed lookup keeps the TMDb fields. */
export async function enrichFromOmdb(
  omdb: OmdbClient,
  movie: Movie,
  log: (l: CrawlLogEntry['level'], m: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const o = await omdb.byImdbId(movie.imdbId!, signal);
    if (!o) return;
    if (o.imdbVotes !== undefined) movie.imdbVotes = o.imdbVotes;
    movie.certificate ??= o.certificate;
    movie.director ??= o.director;
    movie.runtime ??= o.runtime;
    for (const k of ['certificate', 'director', 'runtime'] as const)
      if (movie[k] === undefined) delete movie[k];
  } catch (e) {
    if (e instanceof BadKeyError || !(e instanceof HttpError)) throw e;
    if (e.kind === 'rate-limited' || e.kind === 'network') throw e;
    log('warn', `OMDb for ${movie.imdbId}: ${e.message} (kept the TMDb fields)`);
  }
}
