import { HttpClient } from '../net/http.ts';
import { OmdbClient } from '../net/omdb.ts';
import { DEFAULT_ENDPOINTS, TmdbClient } from '../net/tmdb.ts';
import {
  API_KEYS_KEY,
  NET_SETTINGS_KEY,
  type ApiKeys,
  type CrawlStore,
  type NetSettings,
} from './state.ts';

/** Politeness defaults: the paper's 4 requests/s, 4 in flight, 15 s per attempt. */
export const DEFAULT_NET: NetSettings = {
  ratePerSec: 4,
  hostRates: {},
  concurrency: 4,
  timeoutMs: 15_000,
  ...DEFAULT_ENDPOINTS,
};

/** Net settings as saved, over the defaults (empty base URLs fall back to the real hosts). */
export async function loadNetSettings(store: Pick<CrawlStore, 'getSetting'>): Promise<NetSettings> {
  const saved = (await store.getSetting<Partial<NetSettings>>(NET_SETTINGS_KEY)) ?? {};
  const out = { ...DEFAULT_NET, ...saved };
  for (const k of ['tmdbBase', 'omdbBase', 'imageBase'] as const)
    if (!out[k]?.trim()) out[k] = DEFAULT_NET[k];
  return out;
}

/** The HTTP client and adapters a crawl uses, built from the saved keys and net settings. */
export async function clientsFromSettings(
  store: Pick<CrawlStore, 'getSetting'>,
): Promise<{ http: HttpClient; tmdb: TmdbClient; omdb?: OmdbClient; net: NetSettings }> {
  const keys = (await store.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
  const net = await loadNetSettings(store);
  const http = new HttpClient({
    ratePerSec: net.ratePerSec,
    hostRates: net.hostRates,
    concurrency: net.concurrency,
    timeoutMs: net.timeoutMs,
  });
  return {
    http,
    net,
    tmdb: new TmdbClient(http, keys.tmdb ?? '', net.tmdbBase),
    omdb: keys.omdb ? new OmdbClient(http, keys.omdb, net.omdbBase) : undefined,
  };
}

/** Checks the saved keys with one cheap call each; a message per key (null = fine, absent = not set). */
export async function checkSavedKeys(
  store: Pick<CrawlStore, 'getSetting'>,
  signal?: AbortSignal,
): Promise<{ tmdb?: string | null; omdb?: string | null }> {
  const keys = (await store.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
  const { tmdb, omdb } = await clientsFromSettings(store);
  const check = (fn: () => Promise<void>) =>
    fn().then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
  return {
    ...(keys.tmdb ? { tmdb: await check(() => tmdb.checkKey(signal)) } : {}),
    ...(omdb ? { omdb: await check(() => omdb.checkKey(signal)) } : {}),
  };
}
