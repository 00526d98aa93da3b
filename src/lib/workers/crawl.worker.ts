/// <reference lib="webworker" />
import { expose } from 'comlink';
import { checkKeys, clientsFromSettings, forgetKey, type KeyCheck } from '../crawl/setup.ts';
import { runCrawl } from '../crawl/crawler.ts';
import { crawlIsRunning, withCrawlLock } from '../crawl/lock.ts';
import type { CrawlConfig, CrawlLogEntry, CrawlState } from '../crawl/state.ts';
import { loadCrawlState } from '../crawl/state.ts';
import type { RateChange } from '../net/adaptive.ts';
import type { HostSnapshot, HttpClient } from '../net/http.ts';
import { moviesToPaperCsv } from '../export/paper-csv.ts';
import { joinImdbTsv, type ImdbFileReport } from '../imdb/join.ts';
import { openLibrary, type Library } from '../storage/index.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import { TaskRegistry } from './tasks.ts';

const tasks = new TaskRegistry();
let library: Promise<Library> | undefined;
let databaseName: string | undefined;
const lib = () =>
  (library ??= openLibrary({ name: databaseName, onVersionChange: () => (library = undefined) }));

/** The running crawl's HTTP client. A diagnostic hook reads its hosts' limiter state (the crawl bench samples it). */
let activeHttp: HttpClient | undefined;
(self as unknown as { marqueeNetSnapshot: () => HostSnapshot[] }).marqueeNetSnapshot = () =>
  activeHttp?.snapshot() ?? [];

const api = {
  /** Points the worker at another database (tests use a throwaway one). */
  useDatabase(name: string): void {
    databaseName = name;
    library = undefined;
  },

  /** Checks typed keys (or the saved ones) and saves those that work (keys never come back out). */
  checkKeys: async (typed: { tmdb?: string; omdb?: string }): Promise<KeyCheck> =>
    checkKeys(await lib(), typed),

  forgetKey: async (which: 'tmdb' | 'omdb') => forgetKey(await lib(), which),

  /** The saved crawl with counts from its store, and whether a crawl runs now (null: unknown). */
  savedState: async (): Promise<{ state: CrawlState | undefined; running: boolean | null }> => ({
    state: await loadCrawlState(await lib()),
    running: await crawlIsRunning(),
  }),

  /** Runs (or resumes) a crawl into the library, holding the crawl lock. */
  crawl: (
    taskId: string,
    config: CrawlConfig | 'resume',
    onProgress: ProgressFn,
    onLog: (e: CrawlLogEntry) => void,
    onRate: (c: RateChange) => void,
  ): Promise<CrawlState> =>
    tasks.run(taskId, (signal) =>
      withCrawlLock(async () => {
        const store = await lib();
        const clients = await clientsFromSettings(store);
        activeHttp = clients.http;
        try {
          return await runCrawl({ store, ...clients, onProgress, onLog, onRate, signal }, config);
        } finally {
          activeHttp = undefined;
        }
      }),
    ),

  /** The library as a paper-layout CSV. */
  exportCsv: async (): Promise<string> => moviesToPaperCsv(await (await lib()).allMovies()),

  /** Joins dropped IMDb TSV dumps onto the library by imdb_id and stores the changed movies. */
  importImdb: (
    taskId: string,
    files: Array<{ name: string; blob: Blob }>,
    onProgress: ProgressFn,
  ): Promise<{ updated: number; files: ImdbFileReport[]; elapsedMs: number }> =>
    tasks.run(taskId, async (signal) => {
      const t0 = performance.now();
      const store = await lib();
      const tracker = new ProgressTracker('IMDb', null, onProgress);
      let last = 0;
      const result = await joinImdbTsv(files, await store.allMovies(), {
        signal,
        onChunk: (_c, rows) => (tracker.tick(rows - last), void (last = rows)),
        onFile: () => (last = 0),
      });
      await store.putMovies(result.updated);
      return {
        updated: result.updated.length,
        files: result.files,
        elapsedMs: performance.now() - t0,
      };
    }),

  cancel: (taskId: string): boolean => tasks.cancel(taskId),
};

expose(api);
export type CrawlApi = typeof api;
