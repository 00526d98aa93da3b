/// <reference lib="webworker" />
import { expose } from 'comlink';
import { checkSavedKeys, clientsFromSettings } from '../crawl/setup.ts';
import { runCrawl } from '../crawl/crawler.ts';
import type { CrawlConfig, CrawlLogEntry, CrawlState } from '../crawl/state.ts';
import { CRAWL_STATE_KEY } from '../crawl/state.ts';
import { openLibrary, type Library } from '../storage/index.ts';
import type { ProgressFn } from './progress.ts';
import { TaskRegistry } from './tasks.ts';

const tasks = new TaskRegistry();
let library: Promise<Library> | undefined;
let databaseName: string | undefined;
const lib = () => (library ??= openLibrary({ name: databaseName, onVersionChange: () => (library = undefined) }));

const api = {
  /** Points the worker at another database (tests use a throwaway one). */
  useDatabase(name: string): void {
    databaseName = name;
    library = undefined;
  },

  /** Checks the saved TMDb/OMDb keys (keys never cross this boundary: the worker reads them itself). */
  checkKeys: async () => checkSavedKeys(await lib()),

  /** The persisted crawl, if any. */
  savedState: async (): Promise<CrawlState | undefined> => (await lib()).getSetting<CrawlState>(CRAWL_STATE_KEY),

  /** Runs (or resumes) a crawl into the library. */
  crawl: (taskId: string, config: CrawlConfig | 'resume', onProgress: ProgressFn, onLog: (e: CrawlLogEntry) => void): Promise<CrawlState> =>
    tasks.run(taskId, async (signal) => {
      const store = await lib();
      return runCrawl({ store, ...(await clientsFromSettings(store)), onProgress, onLog, signal }, config);
    }),

  cancel: (taskId: string): boolean => tasks.cancel(taskId),
};

expose(api);
export type CrawlApi = typeof api;
