import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Movie, Poster } from '../data/types.ts';
import type { FeatureCache, ModelRecord, RunRecord, SettingRecord } from './records.ts';

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
];

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
