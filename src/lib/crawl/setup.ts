import { HttpClient } from '../net/http.ts';
import { OmdbClient } from '../net/omdb.ts';
import { BadKeyError, DEFAULT_ENDPOINTS, TmdbClient } from '../net/tmdb.ts';
import {
  API_KEYS_KEY,
  NET_SETTINGS_KEY,
  type ApiKeys,
  type CrawlStore,
  type NetSettings,
} from './state.ts';
import { errorMessage } from '../core/errors.ts';

/** Politeness defaults: the paper's 4 requests/s per host, 4 in flight per host, attempts timed out at 15 s at most. */
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
  override: ApiKeys = {},
): Promise<{ http: HttpClient; tmdb: TmdbClient; omdb?: OmdbClient; net: NetSettings }> {
  const keys = { ...((await store.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {}), ...override };
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

/** Per key: null = it works (saved), a message = it does not (or could not be checked); absent = no key. */
export type KeyCheck = { tmdb?: string | null; omdb?: string | null };

/**
 * Checks keys with one cheap call each: a typed key, or the saved one where none is typed. A key
 * that works is saved with the time it was checked; a typed key that fails is not saved; a saved
 * key the API refuses is removed (Start needs a checked TMDb key). A saved key that could not be
 * checked (offline, timeout) is kept as it was.
 */
export async function checkKeys(
  store: Pick<CrawlStore, 'getSetting' | 'putSetting'>,
  typed: { tmdb?: string; omdb?: string },
  nowMs: number = Date.now(),
  signal?: AbortSignal,
): Promise<KeyCheck> {
  const keys = (await store.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
  const out: KeyCheck = {};
  for (const which of ['tmdb', 'omdb'] as const) {
    const fresh = typed[which]?.trim();
    const key = fresh || keys[which];
    if (!key) continue;
    const { tmdb, omdb } = await clientsFromSettings(store, { [which]: key });
    try {
      await (which === 'tmdb' ? tmdb.checkKey(signal) : omdb!.checkKey(signal));
      keys[which] = key;
      keys[`${which}CheckedAt`] = nowMs;
      out[which] = null;
    } catch (e) {
      const refused = e instanceof BadKeyError;
      out[which] = refused
        ? errorMessage(e)
        : `could not check the key (${errorMessage(e)})${fresh ? ': not saved' : ''}`;
      if (refused && !fresh) {
        delete keys[which];
        delete keys[`${which}CheckedAt`];
      }
    }
  }
  await store.putSetting(API_KEYS_KEY, keys);
  return out;
}

/** Removes a saved key. */
export async function forgetKey(
  store: Pick<CrawlStore, 'getSetting' | 'putSetting'>,
  which: 'tmdb' | 'omdb',
): Promise<void> {
  const keys = (await store.getSetting<ApiKeys>(API_KEYS_KEY)) ?? {};
  delete keys[which];
  delete keys[`${which}CheckedAt`];
  await store.putSetting(API_KEYS_KEY, keys);
}
