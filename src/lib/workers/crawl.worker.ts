/// <reference lib="webworker" />
import { expose, transfer } from 'comlink';
import { checkSavedKeys, clientsFromSettings } from '../crawl/setup.ts';
import { runCrawl } from '../crawl/crawler.ts';
import type { CrawlConfig, CrawlLogEntry, CrawlState } from '../crawl/state.ts';
import { CRAWL_STATE_KEY } from '../crawl/state.ts';
import { exportBundle, importBundle } from '../export/bundle.ts';
import { moviesToPaperCsv } from '../export/paper-csv.ts';
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

  /** The library as a paper-layout CSV. */
  exportCsv: async (): Promise<string> => moviesToPaperCsv(await (await lib()).allMovies()),

  /** The whole project as a zip (transferred, not copied). */
  exportBundle: async (): Promise<Uint8Array> => {
    const zip = await exportBundle(await lib());
    return transfer(zip, [zip.buffer]);
  },

  /** Reads a project zip into the library. */
  importBundle: async (file: Blob) => importBundle(await lib(), new Uint8Array(await file.arrayBuffer())),

  cancel: (taskId: string): boolean => tasks.cancel(taskId),
};

expose(api);
export type CrawlApi = typeof api;
