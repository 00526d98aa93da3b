import type { Movie } from '../data/types.ts';
import { MOVIE_BATCH_SIZE, openLibrary, projectMovie, type Library } from '../storage/index.ts';
import type { MovieQuery } from './library-query.ts';
import { yieldToEvents } from '../core/yield.ts';

/** Options of readMovies. */
export interface ReadOptions {
  signal?: AbortSignal;
  /** Records per read transaction. */
  batchSize?: number;
  /** Called after each batch with the number of movies read so far. */
  onBatch?: (read: number) => void;
}

/**
 * Reads the movies a query names, inside a worker: the library is read in batches and each record
 * is cut down to the query's fields before the next batch, so the raw records of the whole library
 * never sit in memory at once and nothing crosses from the main thread but the query.
 */
export class LibraryReader {
  readonly #connections = new Map<string, Promise<Library>>();
  readonly #cache = new Map<string, Promise<Movie[]>>();
  #revision: string | undefined;

  /** The library connection for a database name (opened once, reopened after a version change). */
  library(db?: string): Promise<Library> {
    const name = db ?? '';
    let lib = this.#connections.get(name);
    if (!lib) {
      lib = openLibrary({
        ...(db ? { name: db } : {}),
        onVersionChange: () => this.#connections.delete(name),
      });
      lib.catch(() => this.#connections.delete(name));
      this.#connections.set(name, lib);
    }
    return lib;
  }

  /** The query's movies, read now (nothing kept afterwards). */
  async read(query: MovieQuery, options: ReadOptions = {}): Promise<Movie[]> {
    return readMovies(await this.library(query.db), query.fields, options);
  }

  /**
   * The query's movies, shared by later calls with the same database, revision and fields (one
   * panel asks several questions of the same library); a new revision drops everything cached.
   */
  cached(query: MovieQuery): Promise<Movie[]> {
    const revision = `${query.db ?? ''}#${query.revision}`;
    if (revision !== this.#revision) {
      this.#cache.clear();
      this.#revision = revision;
    }
    const key = query.fields ? [...query.fields].sort().join(',') : '*';
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = this.read(query);
      hit.catch(() => this.#cache.delete(key));
      this.#cache.set(key, hit);
    }
    return hit;
  }

  /** Forgets cached movies (memory goes back once the caller's copies are gone). */
  clear(): void {
    this.#cache.clear();
    this.#revision = undefined;
  }
}

/** Every movie of an open library, read in batches and cut down to `fields` (all when absent). */
export async function readMovies(
  lib: Library,
  fields: MovieQuery['fields'],
  options: ReadOptions = {},
): Promise<Movie[]> {
  const out: Movie[] = [];
  for await (const batch of lib.movieBatches(options.batchSize ?? MOVIE_BATCH_SIZE)) {
    options.signal?.throwIfAborted();
    for (const m of batch) out.push(fields ? projectMovie(m, fields) : m);
    options.onBatch?.(out.length);
    // Lets a queued cancel or another call run between batches.
    await yieldToEvents();
  }
  return out;
}
