import {
  unwrap,
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  type StoreNames,
} from 'idb';
import type { Movie, Poster } from '../data/types.ts';
import type {
  CrawlItemRecord,
  CrawlRecord,
  FeatureCache,
  ImportJournalEntry,
  ModelRecord,
  RunRecord,
  SettingRecord,
  ThumbnailRecord,
} from './records.ts';

/** Name of the library database. */
export const DATABASE_NAME = 'marquee';

/** Stores, keys and indexes of the library database at the current schema version. */
export interface MarqueeSchema extends DBSchema {
  movies: {
    key: string;
    value: Movie;
    indexes: { tmdbId: number; imdbId: string; title: string; year: number };
  };
  posters: { key: string; value: Poster };
  settings: { key: string; value: SettingRecord };
  features: {
    key: string;
    value: FeatureCache;
    indexes: { movieKeys: string };
  };
  runs: { key: string; value: RunRecord; indexes: { createdAt: number } };
  models: { key: string; value: ModelRecord; indexes: { createdAt: number } };
  crawl: { key: string; value: CrawlRecord };
  crawlItems: { key: number; value: CrawlItemRecord; indexes: { movie: string; poster: string } };
  thumbnails: { key: string; value: ThumbnailRecord };
  importJournal: { key: number; value: ImportJournalEntry };
}

export type MarqueeDatabase = IDBPDatabase<MarqueeSchema>;
type UpgradeTransaction = IDBPTransaction<
  MarqueeSchema,
  StoreNames<MarqueeSchema>[],
  'versionchange'
>;

/** One schema step; step i takes the database from version i to version i + 1. */
type Migration = (db: MarqueeDatabase, tx: UpgradeTransaction) => void;

/**
 * The ordered upgrade steps. Never edit a released step: append a new one (data written under
 * older versions must survive every upgrade). Indexes are non-unique because imported sources
 * can disagree (two rows claiming one IMDb id must not make a whole import fail).
 */
const MIGRATIONS: readonly Migration[] = [
  // v1: movies, posters, settings.
  (db) => {
    const movies = db.createObjectStore('movies', { keyPath: 'key' });
    movies.createIndex('tmdbId', 'tmdbId');
    movies.createIndex('imdbId', 'imdbId');
    movies.createIndex('title', 'title');
    db.createObjectStore('posters', { keyPath: 'movieKey' });
    db.createObjectStore('settings', { keyPath: 'key' });
  },
  // v2: feature caches, experiment runs, saved models; movies by year.
  (db, tx) => {
    tx.objectStore('movies').createIndex('year', 'year');
    db.createObjectStore('features', { keyPath: 'key' }).createIndex('movieKeys', 'movieKeys', {
      multiEntry: true,
    });
    db.createObjectStore('runs', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    db.createObjectStore('models', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
  },
  // v3: the crawl's own stores (its record, and one item per movie id written with the movie).
  (db, tx) => {
    db.createObjectStore('crawl', { keyPath: 'key' });
    const items = db.createObjectStore('crawlItems', { keyPath: 'id' });
    items.createIndex('movie', 'movie');
    items.createIndex('poster', 'poster');
    moveCrawlSetting(tx);
  },
  // v4: small poster thumbnails for the table (keyed like posters), and the undo journal of a
  // project import in progress (what each written key held before, so a cancel restores it).
  (db) => {
    db.createObjectStore('thumbnails', { keyPath: 'movieKey' });
    db.createObjectStore('importJournal', { keyPath: 'seq', autoIncrement: true });
  },
];

/** Old crawl state as v1/v2 kept it in settings under 'crawl.state' (only the fields moved). */
interface SettingsCrawlState {
  done?: number[];
  skipped?: Array<{ id: number; reason: string }>;
  posterFailed?: Array<{ key: string; reason: string; attempts: number }>;
  [field: string]: unknown;
}

/**
 * Moves a crawl saved in settings (v1/v2) into the v3 stores: its done, skipped and failed-poster
 * lists become items; stored posters are looked up so they are not fetched again. Runs on the
 * versionchange transaction's requests only, so the upgrade commits after it.
 */
function moveCrawlSetting(tx: UpgradeTransaction): void {
  const settings = tx.objectStore('settings');
  void (async () => {
    const rec = await settings.get('crawl.state');
    if (!rec || typeof rec.value !== 'object' || rec.value === null) return;
    const { done = [], skipped = [], posterFailed = [], ...meta } = rec.value as SettingsCrawlState;
    const items = unwrap(tx.objectStore('crawlItems'));
    const posters = new Set(await tx.objectStore('posters').getAllKeys());
    const failed = new Map(posterFailed.map((f) => [f.key, f]));
    for (const id of done) {
      const f = failed.get(`tmdb:${id}`);
      const poster = posters.has(`tmdb:${id}`) ? 'stored' : f ? 'failed' : undefined;
      items.put({
        id,
        movie: 'stored',
        ...(poster ? { poster } : {}),
        ...(f && poster === 'failed' ? { posterReason: f.reason, posterAttempts: f.attempts } : {}),
      });
    }
    for (const s of skipped) items.put({ id: s.id, movie: 'skipped', reason: s.reason });
    unwrap(tx.objectStore('crawl')).put({ ...meta, version: 2, key: 'current' });
    unwrap(settings).delete('crawl.state');
  })().catch(() => tx.abort());
}

/** Current schema version (the number of migration steps). */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** Runs the steps from oldVersion up to newVersion inside the versionchange transaction. */
export function migrate(
  db: MarqueeDatabase,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTransaction,
): void {
  for (let v = oldVersion; v < newVersion; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new RangeError(`no migration from schema version ${v}`);
    step(db, tx);
  }
}
