import type { Movie, Poster } from '../data/types.ts';
import type { CrawlCounts, CrawlItemRecord } from '../storage/records.ts';
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

/** The crawl's own record in the library's `crawl` store: what it visits and where it is. */
export interface CrawlMeta {
  version: 2;
  config: CrawlConfig;
  status: 'running' | 'paused' | 'done' | 'failed';
  phase: 'ids' | 'details' | 'posters' | 'done';
  nextPage: number;
  totalPages: number | null;
  /** Movie ids to visit, in source order, unique. */
  ids: number[];
  imageBase: string | null;
  log: CrawlLogEntry[];
  startedAt: number;
  updatedAt: number;
  error?: string;
}

/**
 * The crawl as the panel shows it: its record, counts read from its items, and the ids skipped
 * and posters failed with their reasons. Nothing here is a counter kept beside the data.
 */
export interface CrawlState extends CrawlMeta {
  counts: CrawlCounts;
  skipped: Array<{ id: number; reason: string }>;
  posterFailed: Array<{ key: string; reason: string; attempts: number }>;
}

/** Settings keys the crawl uses (keys, net settings, genres); its progress has stores of its own. */
export const API_KEYS_KEY = 'api-keys';
export const NET_SETTINGS_KEY = 'crawl.net';
export const GENRES_KEY = 'tmdb.genres';

/**
 * Keys are kept only in this record; it is never exported or logged. A key is saved only after
 * a check accepted it (`checkedAt`), and Start stays disabled without a checked TMDb key.
 */
export interface ApiKeys {
  tmdb?: string;
  omdb?: string;
  tmdbCheckedAt?: number;
  omdbCheckedAt?: number;
}

/** Politeness and endpoints, set in Settings (advanced). */
export interface NetSettings {
  /** Requests per second per host (each API and image host gets its own budget). */
  ratePerSec: number;
  hostRates: Record<string, number>;
  /** Requests in flight per host (at most 5: below Chromium's 6 connections per host). */
  concurrency: number;
  /** Ceiling of the adaptive per-attempt timeout. */
  timeoutMs: number;
  tmdbBase: string;
  omdbBase: string;
  imageBase: string;
}

/** What the crawl needs from the library (the Library interface satisfies it; tests use a Map). */
export interface CrawlStore {
  getMovie(key: string): Promise<Movie | undefined>;
  getSetting<T>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;
  getCrawl<T>(): Promise<T | undefined>;
  putCrawl(record: object): Promise<void>;
  resetCrawl(record: object): Promise<void>;
  crawlItems(): Promise<CrawlItemRecord[]>;
  crawlCounts(): Promise<CrawlCounts>;
  putCrawledMovies(entries: Array<{ movie: Movie | null; item: CrawlItemRecord }>): Promise<void>;
  putCrawledPosters(
    entries: Array<{ poster: Poster | null; item: CrawlItemRecord }>,
  ): Promise<void>;
}

/** The saved crawl with its counts and reasons, or undefined when none was ever started. */
export async function loadCrawlState(
  store: Pick<CrawlStore, 'getCrawl' | 'crawlItems' | 'crawlCounts'>,
): Promise<CrawlState | undefined> {
  const meta = await store.getCrawl<CrawlMeta & { key?: string }>();
  if (!meta) return undefined;
  const { key: _key, ...rest } = meta;
  const items = await store.crawlItems();
  return {
    ...rest,
    counts: await store.crawlCounts(),
    skipped: items
      .filter((i) => i.movie === 'skipped')
      .map((i) => ({ id: i.id, reason: i.reason ?? '' })),
    posterFailed: items
      .filter((i) => i.poster === 'failed')
      .map((i) => ({
        key: `tmdb:${i.id}`,
        reason: i.posterReason ?? '',
        attempts: i.posterAttempts ?? 0,
      })),
  };
}

const LOG_KEEP = 500;

/** A fresh crawl record for a config. */
export function newCrawlMeta(config: CrawlConfig, nowMs: number): CrawlMeta {
  return {
    version: 2,
    config,
    status: 'running',
    phase: 'ids',
    nextPage: 1,
    totalPages: null,
    ids: config.source.kind === 'ids' ? [...new Set(config.source.ids)] : [],
    imageBase: null,
    log: [],
    startedAt: nowMs,
    updatedAt: nowMs,
  };
}

/** Appends to the log, keeping the newest LOG_KEEP entries. */
export function appendLog(state: CrawlMeta, entry: CrawlLogEntry): void {
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
