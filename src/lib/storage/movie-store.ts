import { unwrap, type IDBPObjectStore, type StoreNames } from 'idb';
import type { Movie } from '../data/types.ts';
import { mergeMovie } from './merge.ts';
import type { MarqueeDatabase, MarqueeSchema } from './schema.ts';
import { inWriteTransaction } from './transaction.ts';

/** Counts returned by putMovies, one per incoming record. */
export interface PutMoviesResult {
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * Above this ratio of batch size to stored count, one getAll of the whole store is cheaper than
 * one get per key (a single request, and the store is small next to the batch anyway).
 */
const READ_ALL_RATIO = 0.5;

/** Merges and writes movies in one readwrite transaction (see mergeMovie for the rules). */
export async function putMovies(db: MarqueeDatabase, movies: Movie[]): Promise<PutMoviesResult> {
  if (movies.length === 0) return { added: 0, updated: 0, unchanged: 0 };
  return inWriteTransaction(db, ['movies'], (tx) => writeMovies(tx.objectStore('movies'), movies));
}

/** Merges and writes movies through the movies store of a readwrite transaction the caller owns. */
export async function writeMovies(
  store: IDBPObjectStore<MarqueeSchema, StoreNames<MarqueeSchema>[], 'movies', 'readwrite'>,
  movies: Movie[],
): Promise<PutMoviesResult> {
  const counts: PutMoviesResult = { added: 0, updated: 0, unchanged: 0 };
  const keys = [...new Set(movies.map((m) => m.key))];
  const current = new Map<string, Movie | undefined>();
  const storedCount = await store.count();
  if (storedCount > 0 && keys.length >= storedCount * READ_ALL_RATIO) {
    for (const m of await store.getAll()) current.set(m.key, m);
  } else if (storedCount > 0) {
    const found = await Promise.all(keys.map((k) => store.get(k)));
    keys.forEach((k, i) => current.set(k, found[i]));
  }
  const dirty = new Map<string, Movie>();
  for (const incoming of movies) {
    const { movie, outcome } = mergeMovie(current.get(incoming.key), incoming);
    counts[outcome]++;
    if (outcome !== 'unchanged') {
      current.set(movie.key, movie);
      dirty.set(movie.key, movie);
    }
  }
  const raw = unwrap(store);
  for (const movie of dirty.values()) raw.put(movie);
  return counts;
}

/** The key of the stored movie with this TMDb id, else this IMDb id. */
export async function findMovieKey(
  db: MarqueeDatabase,
  id: { tmdbId?: number; imdbId?: string },
): Promise<string | undefined> {
  const tx = db.transaction('movies', 'readonly');
  const store = tx.objectStore('movies');
  let key: string | undefined;
  if (id.tmdbId !== undefined) key = await store.index('tmdbId').getKey(id.tmdbId);
  if (key === undefined && id.imdbId !== undefined)
    key = await store.index('imdbId').getKey(id.imdbId);
  return key;
}

/** Deletes movies with their posters, thumbnails and every feature cache computed from them, atomically. */
export async function deleteMovies(db: MarqueeDatabase, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await inWriteTransaction(db, ['movies', 'posters', 'thumbnails', 'features'], async (tx) => {
    const features = tx.objectStore('features');
    const featureKeys = await Promise.all(
      keys.map((k) => features.index('movieKeys').getAllKeys(k)),
    );
    const movies = unwrap(tx.objectStore('movies'));
    const posters = unwrap(tx.objectStore('posters'));
    const thumbnails = unwrap(tx.objectStore('thumbnails'));
    for (const key of keys) {
      movies.delete(key);
      posters.delete(key);
      thumbnails.delete(key);
    }
    for (const fk of new Set(featureKeys.flat())) unwrap(features).delete(fk);
  });
}
