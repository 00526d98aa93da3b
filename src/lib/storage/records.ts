/** Records the library keeps besides movies and posters (those are in data/types.ts). */

/** The numeric payload of a feature cache: a raw buffer or any typed array (stored as is). */
export type FeatureData =
  | ArrayBuffer
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** A cached feature matrix or vector (e.g. MobileNet embeddings), keyed by whatever its builder chooses. */
export interface FeatureCache {
  key: string;
  createdAt: number;
  data: FeatureData;
  shape: number[];
  /** Builder-specific details (model name, preprocessing, dataset fingerprint …). */
  meta: unknown;
  /** Movies this cache was computed from; deleting any of them deletes the cache (multiEntry index). */
  movieKeys?: string[];
}

/** Lifecycle of an experiment run. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** One experiment run: what was asked (spec) and what came out (result). */
export interface RunRecord {
  id: string;
  createdAt: number;
  /** Model or task kind, e.g. 'forest' or 'poster-cnn'. */
  kind: string;
  spec: unknown;
  result: unknown;
  status: RunStatus;
  finishedAt?: number;
  /** Human-readable reason when status is 'failed'. */
  error?: string;
}

/** The parts of a tfjs `ModelArtifacts` worth keeping (weights as one buffer). */
export interface ModelArtifactsRecord {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: ArrayBuffer;
}

/** A saved model: a card describing it and, for tfjs models, its artifacts. */
export interface ModelRecord {
  id: string;
  createdAt: number;
  name: string;
  /** Description, metrics and, for classic models, the `toJSON()` output. */
  card: unknown;
  artifacts: ModelArtifactsRecord | null;
}

/** A settings entry as stored (settings are keyed by name). */
export interface SettingRecord {
  key: string;
  value: unknown;
}

/** The crawl's own record (its config, phase, ids and log), kept under key CRAWL_RECORD_KEY. */
export interface CrawlRecord {
  key: string;
  [field: string]: unknown;
}

/** How far one movie id of the crawl got; written in the same transaction as the movie or poster. */
export interface CrawlItemRecord {
  /** TMDb id. */
  id: number;
  /** 'stored' in the library, or 'skipped' with the reason. */
  movie: 'stored' | 'skipped';
  reason?: string;
  /** 'stored'; 'failed' (Resume retries it); 'none' (the movie has no poster). Absent: not tried yet. */
  poster?: 'stored' | 'failed' | 'none';
  posterReason?: string;
  posterAttempts?: number;
}

/** Counts of a crawl, read from its items (never kept as counters). */
export interface CrawlCounts {
  stored: number;
  skipped: number;
  postersStored: number;
  postersFailed: number;
}

/** A small thumbnail of a movie's poster (the table shows these, never the full poster). */
export interface ThumbnailRecord {
  movieKey: string;
  blob: Blob;
  width: number;
  height: number;
  /** sizeBytes of the poster it was made from: a replaced poster gets a new thumbnail. */
  posterBytes: number;
}

/** Stores a project import writes, and so journals. */
export type JournaledStore = 'movies' | 'posters' | 'thumbnails' | 'runs' | 'models' | 'settings';

/** One undo step of a project import: the record a key held before the import wrote it (null: none). */
export interface ImportJournalEntry {
  seq?: number;
  store: JournaledStore;
  key: string;
  prev: unknown;
}
