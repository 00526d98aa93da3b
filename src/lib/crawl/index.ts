/** The TMDb crawl: resumable state in its own stores and the loop that fills the library. */
export { runCrawl, type CrawlDeps } from './crawler.ts';
export {
  DEFAULT_CRAWL,
  API_KEYS_KEY,
  NET_SETTINGS_KEY,
  GENRES_KEY,
  newCrawlMeta,
  loadCrawlState,
  parseIdList,
  appendLog,
  type CrawlConfig,
  type CrawlMeta,
  type CrawlState,
  type CrawlLogEntry,
  type CrawlStore,
  type ApiKeys,
  type NetSettings,
} from './state.ts';
export {
  DEFAULT_NET,
  loadNetSettings,
  clientsFromSettings,
  checkKeys,
  forgetKey,
  type KeyCheck,
} from './setup.ts';
