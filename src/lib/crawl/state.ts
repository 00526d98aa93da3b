import type { Movie, Poster } from '../data/types.ts';
import type { MovieSource } from '../net/tmdb.ts';

/** What a crawl visits and keeps. Plain data: persisted in settings and sent to the worker. */
export interface CrawlConfig {
  source: MovieSource;
  /** Stop collecting ids from a list source at this many movies. */
  maxMovies: number;
  /** Country whose certification becomes `certificate` (ISO 3166-1, TMDb release_dates). */
  country: string;
  posterSize: string;
  posters: boolean;
  /** Enrich from OMDb (imdbVotes, Rated, Director, Runtime) when an OMDb key is set. */
  omdb: boolean;
}

export const DEFAULT_CRAWL: CrawlConfig = {
  source: { kind: 'popular' },
  maxMovies: 100,
  country: 'US',
  posterSize: 'w185',
  posters: true,
  omdb: false,
};

export interface CrawlLogEntry {
  atMs: number;
  level: 'info' | 'skip' | 'warn' | 'error';
  message: string;
}

/** The crawl's persisted state: enough to resume without refetching or duplicating anything. */
export interface CrawlState {
  version: 1;
  config: CrawlConfig;
  status: 'running' | 'paused' | 'done' | 'failed';
  phase: 'ids' | 'details' | 'posters' | 'done';
  nextPage: number;
  totalPages: number | null;
  /** Movie ids to visit, in source order, unique. */
  ids: number[];
  /** Ids stored in the library. */
  done: number[];
  skipped: Array<{ id: number; reason: string }>;
  posterFailed: Array<{ key: string; reason: string; attempts: number }>;
  postersStored: number;
  imageBase: string | null;
  log: CrawlLogEntry[];
  startedAt: number;
  updatedAt: number;
  error?: string;
}

/** Settings keys the crawl uses (all in the library's settings store; see the report on why no new store). */
export const CRAWL_STATE_KEY = 'crawl.state';
export const API_KEYS_KEY = 'api-keys';
export const NET_SETTINGS_KEY = 'crawl.net';
export const GENRES_KEY = 'tmdb.genres';

/** Keys are kept only in this record; it is never exported or logged. */
export interface ApiKeys {
  tmdb?: string;
  omdb?: string;
}

/** Politeness and endpoints, set in Settings (advanced). */
export interface NetSettings {
  ratePerSec: number;
  hostRates: Record<string, number>;
  concurrency: number;
  timeoutMs: number;
  tmdbBase: string;
  omdbBase: string;
  imageBase: string;
}

/** What the crawl needs from the library (the Library interface satisfies it; tests use a Map). */
export interface CrawlStore {
  getMovie(key: string): Promise<Movie | undefined>;
  putMovies(movies: Movie[]): Promise<unknown>;
  putPosters(posters: Poster[]): Promise<unknown>;
  posterKeys(): Promise<string[]>;
  getSetting<T>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;
}

const LOG_KEEP = 500;

/** A fresh state for a config. */
export function newCrawlState(config: CrawlConfig, nowMs: number): CrawlState {
  return {
    version: 1,
    config,
    status: 'running',
    phase: 'ids',
    nextPage: 1,
    totalPages: null,
    ids: config.source.kind === 'ids' ? [...new Set(config.source.ids)] : [],
    done: [],
    skipped: [],
    posterFailed: [],
    postersStored: 0,
    imageBase: null,
    log: [],
    startedAt: nowMs,
    updatedAt: nowMs,
  };
}

/** Appends to the log, keeping the newest LOG_KEEP entries. */
export function appendLog(state: CrawlState, entry: CrawlLogEntry): void {
  state.log.push(entry);
  if (state.log.length > LOG_KEEP) state.log.splice(0, state.log.length - LOG_KEEP);
}

/** Parses a pasted list or a CSV of TMDb ids: every integer token (or the id column of a CSV with a header). */
export function parseIdList(text: string): number[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head =
    lines[0]?.split(/[,;\t]/).map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase()) ?? [];
  const col = head.findIndex((h) => h === 'id' || h === 'tmdb_id' || h === 'movie_id');
  const cells =
    col >= 0 ? lines.slice(1).map((l) => l.split(/[,;\t]/)[col] ?? '') : text.split(/[\s,;]+/);
  const ids = cells
    .map((c) => c.trim().replace(/^"|"$/g, ''))
    .filter((c) => /^\d+$/.test(c))
    .map(Number)
    .filter((n) => n > 0);
  return [...new Set(ids)];
}
