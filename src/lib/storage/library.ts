import { unwrap } from 'idb';
import type { Movie, Poster } from '../data/types.ts';
import { LibraryClosedError, isQuotaError, storageFullError } from './errors.ts';
import { movieBatches } from './movie-batches.ts';
import { deleteMovies, findMovieKey, putMovies, type PutMoviesResult } from './movie-store.ts';
import { storeSizes, type StoreSize } from './store-sizes.ts';
import { putPosters, type PutPostersResult } from './poster-store.ts';
import {
  commitImport,
  journaledPut,
  pendingImportEntries,
  rollbackImport,
  type JournaledPutResult,
} from './import-journal.ts';
import { getThumbnails, keysWithoutThumbnail, putThumbnails } from './thumbnail-store.ts';
import {
  crawlCounts,
  crawlItems,
  getCrawl,
  putCrawl,
  putCrawledMovies,
  putCrawledPosters,
  resetCrawl,
} from './crawl-store.ts';
import type {
  CrawlCounts,
  CrawlItemRecord,
  FeatureCache,
  JournaledStore,
  ModelRecord,
  RunRecord,
  ThumbnailRecord,
} from './records.ts';
import type { MarqueeDatabase } from './schema.ts';
import { requestPersistence, storageEstimate, type StorageEstimate } from './storage-manager.ts';
import { inWriteTransaction } from './transaction.ts';

/** An open connection to the library database; the only way the app reads or writes IndexedDB. */
export interface Library {
  readonly name: string;
  putMovies(movies: Movie[]): Promise<PutMoviesResult>;
  getMovie(key: string): Promise<Movie | undefined>;
  allMovies(): Promise<Movie[]>;
  /** The movies in key order, batchSize at a time (bounded memory on any library size). */
  movieBatches(batchSize?: number): AsyncGenerator<Movie[]>;
  countMovies(): Promise<number>;
  findMovieKey(id: { tmdbId?: number; imdbId?: string }): Promise<string | undefined>;
  deleteMovies(keys: string[]): Promise<void>;
  putPosters(posters: Poster[]): Promise<PutPostersResult>;
  getPoster(movieKey: string): Promise<Poster | undefined>;
  posterKeys(): Promise<string[]>;
  countPosters(): Promise<number>;
  /** Thumbnails of these movies, in order (undefined: none stored). */
  getThumbnails(keys: readonly string[]): Promise<(ThumbnailRecord | undefined)[]>;
  putThumbnails(records: readonly ThumbnailRecord[]): Promise<void>;
  /** Up to `limit` poster keys after `after` whose thumbnail is missing or stale. */
  keysWithoutThumbnail(after: string | undefined, limit: number): Promise<string[]>;
  /** Up to `limit` movies in key order after `after` (a whole-library walk in bounded batches). */
  movieBatch(after: string | undefined, limit: number): Promise<Movie[]>;
  /** Up to `limit` posters in key order after `after`. */
  posterBatch(after: string | undefined, limit: number): Promise<Poster[]>;
  /** A project import's write: records plus their undo entries, in one transaction. */
  importBatch(store: JournaledStore, records: readonly object[]): Promise<JournaledPutResult>;
  /** Undoes every write of the import in progress (or of one a dead tab left); returns the count. */
  rollbackImport(): Promise<number>;
  /** Keeps the import's writes (clears the undo journal). */
  commitImport(): Promise<void>;
  pendingImportEntries(): Promise<number>;
  getFeatures(key: string): Promise<FeatureCache | undefined>;
  putFeatures(rec: FeatureCache): Promise<void>;
  putRun(run: RunRecord): Promise<void>;
  listRuns(): Promise<RunRecord[]>;
  deleteRun(id: string): Promise<void>;
  putModel(m: ModelRecord): Promise<void>;
  listModels(): Promise<ModelRecord[]>;
  getModel(id: string): Promise<ModelRecord | undefined>;
  deleteModel(id: string): Promise<void>;
  getSetting<T>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;
  /** The crawl record (crawl/state.ts's CrawlMeta), if a crawl was ever started. */
  getCrawl<T>(): Promise<T | undefined>;
  putCrawl(record: object): Promise<void>;
  /** Starts over: clears the crawl's items and writes its new record, atomically. */
  resetCrawl(record: object): Promise<void>;
  crawlItems(): Promise<CrawlItemRecord[]>;
  crawlCounts(): Promise<CrawlCounts>;
  /** Crawled movies (null: none, e.g. skipped), each with its item, in one transaction. */
  putCrawledMovies(entries: Array<{ movie: Movie | null; item: CrawlItemRecord }>): Promise<void>;
  /** Crawled posters (null: none or failed), each with its item, in one transaction. */
  putCrawledPosters(
    entries: Array<{ poster: Poster | null; item: CrawlItemRecord }>,
  ): Promise<void>;
  storageEstimate(): Promise<StorageEstimate>;
  /** Records and approximate bytes per store, read in batches (call it from a worker). */
  storeSizes(): Promise<StoreSize[]>;
  requestPersistence(): Promise<boolean>;
  clearAll(): Promise<void>;
  close(): void;
}

const afterKey = (key: string) => IDBKeyRange.lowerBound(key, true);

/** Library over one idb connection; every write maps quota failures to StorageFullError. */
export class LibraryConnection implements Library {
  readonly #db: MarqueeDatabase;
  #closedReason: string | null = null;

  constructor(
    db: MarqueeDatabase,
    readonly name: string,
  ) {
    this.#db = db;
  }

  /** Closes the connection and makes later calls fail with LibraryClosedError(reason). */
  markClosed(reason: string): void {
    if (this.#closedReason !== null) return;
    this.#closedReason = reason;
    this.#db.close();
  }

  close(): void {
    this.markClosed('The library connection was closed.');
  }

  get #open(): MarqueeDatabase {
    if (this.#closedReason !== null) throw new LibraryClosedError(this.#closedReason);
    return this.#db;
  }

  /** Runs a write; a quota failure becomes StorageFullError (its transaction already aborted). */
  async #write<T>(fn: (db: MarqueeDatabase) => Promise<T>): Promise<T> {
    try {
      return await fn(this.#open);
    } catch (e) {
      if (!isQuotaError(e)) throw e;
      const { usageBytes, quotaBytes } = await storageEstimate();
      throw storageFullError(e, usageBytes, quotaBytes);
    }
  }

  putMovies(movies: Movie[]): Promise<PutMoviesResult> {
    return this.#write((db) => putMovies(db, movies));
  }
  async getMovie(key: string): Promise<Movie | undefined> {
    return this.#open.get('movies', key);
  }
  async allMovies(): Promise<Movie[]> {
    return this.#open.getAll('movies');
  }
  movieBatches(batchSize?: number): AsyncGenerator<Movie[]> {
    return movieBatches(this.#open, batchSize);
  }
  async countMovies(): Promise<number> {
    return this.#open.count('movies');
  }
  async findMovieKey(id: { tmdbId?: number; imdbId?: string }): Promise<string | undefined> {
    return findMovieKey(this.#open, id);
  }
  deleteMovies(keys: string[]): Promise<void> {
    return this.#write((db) => deleteMovies(db, keys));
  }

  putPosters(posters: Poster[]): Promise<PutPostersResult> {
    return this.#write((db) => putPosters(db, posters));
  }
  async getPoster(movieKey: string): Promise<Poster | undefined> {
    return this.#open.get('posters', movieKey);
  }
  async posterKeys(): Promise<string[]> {
    return this.#open.getAllKeys('posters');
  }
  async countPosters(): Promise<number> {
    return this.#open.count('posters');
  }

  async getThumbnails(keys: readonly string[]): Promise<(ThumbnailRecord | undefined)[]> {
    return getThumbnails(this.#open, keys);
  }
  putThumbnails(records: readonly ThumbnailRecord[]): Promise<void> {
    return this.#write((db) => putThumbnails(db, records));
  }
  async keysWithoutThumbnail(after: string | undefined, limit: number): Promise<string[]> {
    return keysWithoutThumbnail(this.#open, after, limit);
  }

  async movieBatch(after: string | undefined, limit: number): Promise<Movie[]> {
    return this.#open.getAll('movies', after === undefined ? null : afterKey(after), limit);
  }
  async posterBatch(after: string | undefined, limit: number): Promise<Poster[]> {
    return this.#open.getAll('posters', after === undefined ? null : afterKey(after), limit);
  }
  importBatch(store: JournaledStore, records: readonly object[]): Promise<JournaledPutResult> {
    return this.#write((db) => journaledPut(db, store, records));
  }
  rollbackImport(): Promise<number> {
    return this.#write((db) => rollbackImport(db));
  }
  commitImport(): Promise<void> {
    return this.#write((db) => commitImport(db));
  }
  async pendingImportEntries(): Promise<number> {
    return pendingImportEntries(this.#open);
  }

  async getFeatures(key: string): Promise<FeatureCache | undefined> {
    return this.#open.get('features', key);
  }
  putFeatures(rec: FeatureCache): Promise<void> {
    return this.#put('features', rec);
  }

  putRun(run: RunRecord): Promise<void> {
    return this.#put('runs', run);
  }
  /** Runs, oldest first. */
  async listRuns(): Promise<RunRecord[]> {
    return this.#open.getAllFromIndex('runs', 'createdAt');
  }
  deleteRun(id: string): Promise<void> {
    return this.#write((db) => db.delete('runs', id));
  }

  putModel(m: ModelRecord): Promise<void> {
    return this.#put('models', m);
  }
  /** Models, oldest first. */
  async listModels(): Promise<ModelRecord[]> {
    return this.#open.getAllFromIndex('models', 'createdAt');
  }
  async getModel(id: string): Promise<ModelRecord | undefined> {
    return this.#open.get('models', id);
  }
  deleteModel(id: string): Promise<void> {
    return this.#write((db) => db.delete('models', id));
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.#open.get('settings', key))?.value as T | undefined;
  }
  putSetting(key: string, value: unknown): Promise<void> {
    return this.#put('settings', { key, value });
  }

  async getCrawl<T>(): Promise<T | undefined> {
    return (await getCrawl(this.#open)) as T | undefined;
  }
  putCrawl(record: object): Promise<void> {
    return this.#write((db) => putCrawl(db, record));
  }
  resetCrawl(record: object): Promise<void> {
    return this.#write((db) => resetCrawl(db, record));
  }
  async crawlItems(): Promise<CrawlItemRecord[]> {
    return crawlItems(this.#open);
  }
  async crawlCounts(): Promise<CrawlCounts> {
    return crawlCounts(this.#open);
  }
  putCrawledMovies(entries: Array<{ movie: Movie | null; item: CrawlItemRecord }>): Promise<void> {
    return this.#write((db) => putCrawledMovies(db, entries));
  }
  putCrawledPosters(
    entries: Array<{ poster: Poster | null; item: CrawlItemRecord }>,
  ): Promise<void> {
    return this.#write((db) => putCrawledPosters(db, entries));
  }

  storageEstimate(): Promise<StorageEstimate> {
    return storageEstimate();
  }
  async storeSizes(): Promise<StoreSize[]> {
    return storeSizes(this.#open);
  }
  requestPersistence(): Promise<boolean> {
    return requestPersistence();
  }

  clearAll(): Promise<void> {
    return this.#write((db) =>
      inWriteTransaction(db, [...db.objectStoreNames], (tx) => {
        for (const name of tx.objectStoreNames) unwrap(tx.objectStore(name)).clear();
      }),
    );
  }

  #put(
    store: 'features' | 'runs' | 'models' | 'settings',
    value: FeatureCache | RunRecord | ModelRecord | { key: string; value: unknown },
  ): Promise<void> {
    return this.#write((db) =>
      inWriteTransaction(db, [store], (tx) => {
        unwrap(tx.objectStore(store)).put(value);
      }),
    );
  }
}
