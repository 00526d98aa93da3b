/** The library: the app's only access to IndexedDB (movies, posters, feature caches, runs, models, settings). */
export { DATABASE_NAME, SCHEMA_VERSION } from './schema.ts';
export { openLibrary, type OpenOptions } from './db.ts';
export type { Library } from './library.ts';
export type { PutMoviesResult } from './movie-store.ts';
export type { PutPostersResult } from './poster-store.ts';
export type { JournaledPutResult } from './import-journal.ts';
export { MOVIE_BATCH_SIZE, projectMovie, type MovieField } from './movie-batches.ts';
export type { StoreSize } from './store-sizes.ts';
export type { StorageEstimate } from './storage-manager.ts';
export { CRAWL_RECORD_KEY } from './crawl-store.ts';
export type {
  CrawlCounts,
  CrawlItemRecord,
  CrawlRecord,
  FeatureCache,
  FeatureData,
  JournaledStore,
  ModelArtifactsRecord,
  ModelRecord,
  RunRecord,
  RunStatus,
  ThumbnailRecord,
} from './records.ts';
export {
  LibraryClosedError,
  StorageFullError,
  StorageUnavailableError,
  isQuotaError,
} from './errors.ts';
export { mergeMovie } from './merge.ts';
