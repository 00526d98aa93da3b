/** The TMDb crawl: persisted, resumable state and the loop that fills the library. */
export { runCrawl, type CrawlDeps } from './crawler.ts';
export {
  DEFAULT_CRAWL,
  CRAWL_STATE_KEY,
  API_KEYS_KEY,
  NET_SETTINGS_KEY,
  GENRES_KEY,
  newCrawlState,
  parseIdList,
  appendLog,
  type CrawlConfig,
  type CrawlState,
  type CrawlLogEntry,
  type CrawlStore,
  type ApiKeys,
  type NetSettings,
} from './state.ts';
export { DEFAULT_NET, loadNetSettings, clientsFromSettings, checkSavedKeys } from './setup.ts';
