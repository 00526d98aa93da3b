import { proxy, wrap, type Remote } from 'comlink';
import type { KeyCheck } from '../crawl/setup.ts';
import type { CrawlConfig, CrawlLogEntry, CrawlState } from '../crawl/state.ts';
import type { RateChange } from '../net/adaptive.ts';
import type { ImdbFileReport } from '../imdb/join.ts';
import type { CrawlApi } from './crawl.worker.ts';
import type { Progress } from '../core/progress.ts';

let remote: Remote<CrawlApi> | undefined;
let nextId = 0;

/** The crawl worker, created on first use and kept for the page's life. */
function api(): Remote<CrawlApi> {
  remote ??= wrap<CrawlApi>(
    new Worker(new URL('./crawl.worker.ts', import.meta.url), { type: 'module', name: 'crawl' }),
  );
  return remote;
}

/** A running crawl: its final state, and a way to pause it (the state stays resumable). */
export interface CrawlJob {
  result: Promise<CrawlState>;
  cancel(): void;
}

/** Starts (config) or resumes ('resume') the crawl in the worker. */
export function startCrawl(
  config: CrawlConfig | 'resume',
  onProgress: (p: Progress) => void,
  onLog: (e: CrawlLogEntry) => void,
  onRate: (c: RateChange) => void,
): CrawlJob {
  const id = `crawl-${++nextId}`;
  return {
    result: api().crawl(id, config, proxy(onProgress), proxy(onLog), proxy(onRate)),
    cancel: () => void api().cancel(id),
  };
}

/** The crawl saved in the library (to offer Resume after a reload), and whether one runs now. */
export function savedCrawlState(): Promise<{
  state: CrawlState | undefined;
  running: boolean | null;
}> {
  return api().savedState();
}

/** Checks typed keys (or the saved ones) with one cheap call each; saves those that work. */
export function checkApiKeys(typed: { tmdb?: string; omdb?: string }): Promise<KeyCheck> {
  return api().checkKeys(typed);
}

/** Removes a saved key. */
export function forgetApiKey(which: 'tmdb' | 'omdb'): Promise<void> {
  return api().forgetKey(which);
}

/** The library as a paper-layout CSV (built in the worker). */
export function exportPaperCsv(): Promise<string> {
  return api().exportCsv();
}

/** Joins IMDb TSV dumps onto the library in the worker. */
export function importImdbDumps(
  files: File[],
  onProgress: (p: Progress) => void,
): {
  result: Promise<{ updated: number; files: ImdbFileReport[]; elapsedMs: number }>;
  cancel(): void;
} {
  const id = `imdb-${++nextId}`;
  return {
    result: api().importImdb(
      id,
      files.map((f) => ({ name: f.name, blob: f })),
      proxy(onProgress),
    ),
    cancel: () => void api().cancel(id),
  };
}
