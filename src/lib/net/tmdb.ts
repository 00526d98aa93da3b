import type { Movie } from '../data/types.ts';
import { HttpError, type HttpClient } from './http.ts';
import { BadRecordError, mapListPage, mapTmdbDetails } from './tmdb-map.ts';

/** Where the adapters send requests; tests point these at a fake server (Settings → advanced). */
export interface Endpoints {
  tmdbBase: string;
  omdbBase: string;
  /** Fallback only: the configuration endpoint's secure_base_url wins. */
  imageBase: string;
}

export const DEFAULT_ENDPOINTS: Endpoints = {
  tmdbBase: 'https://api.themoviedb.org/3',
  omdbBase: 'https://www.omdbapi.com/',
  imageBase: 'https://image.tmdb.org/t/p/',
};

/** Which movies a crawl visits. */
export type MovieSource =
  | {
      kind: 'discover';
      yearFrom?: number;
      yearTo?: number;
      language?: string;
      minVoteCount?: number;
      sortBy?: string;
    }
  | { kind: 'popular' }
  | { kind: 'top_rated' }
  | { kind: 'ids'; ids: number[] };

/** A key the API refused; the crawl stops before it starts. */
export class BadKeyError extends Error {
  override name = 'BadKeyError';
}

/** TMDb caps every list at page 500. */
export const TMDB_MAX_PAGE = 500;
export const APPEND = 'keywords,external_ids,release_dates,credits';
/** A key check waits at most this long per attempt (a spinner, not a crawl). */
export const KEY_CHECK_TIMEOUT_MS = 5000;

/** v4 read access tokens are JWTs ("eyJ…"); v3 keys are 32 hex characters. */
export function isV4Token(key: string): boolean {
  return key.startsWith('eyJ');
}

/** The TMDb v3 API adapter. The key goes only to `base` (query for a v3 key, Bearer header for a v4 token). */
export class TmdbClient {
  readonly #http: HttpClient;
  readonly #key: string;
  readonly #base: string;

  constructor(http: HttpClient, key: string, base: string = DEFAULT_ENDPOINTS.tmdbBase) {
    this.#http = http;
    this.#key = key.trim();
    this.#base = base.replace(/\/+$/, '');
  }

  #get(
    path: string,
    params: Record<string, string | number | undefined>,
    signal?: AbortSignal,
    retries?: number,
  ): Promise<unknown> {
    const u = new URL(this.#base + path);
    for (const [k, v] of Object.entries(params))
      if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    const v4 = isV4Token(this.#key);
    if (!v4) u.searchParams.set('api_key', this.#key);
    return this.#http.getJson(u.toString(), {
      signal,
      headers: v4 ? { Authorization: `Bearer ${this.#key}` } : {},
      ...(retries === undefined ? {} : { retries, timeoutMs: KEY_CHECK_TIMEOUT_MS }),
    });
  }

  /**
   * One cheap call that proves the key works: GET /authentication, or GET /configuration where a
   * TMDb-compatible proxy or mirror has no /authentication (404). Retries once at most and gives
   * up within seconds, so an offline check fails fast. Throws BadKeyError when the key is refused.
   */
  async checkKey(signal?: AbortSignal): Promise<void> {
    if (!this.#key)
      throw new BadKeyError(
        'No TMDb key: enter a v3 API key or a v4 read access token in Settings → API keys.',
      );
    try {
      try {
        await this.#get('/authentication', {}, signal, 1);
      } catch (e) {
        if (!(e instanceof HttpError && e.kind === 'not-found')) throw e;
        await this.#get('/configuration', {}, signal, 1);
      }
    } catch (e) {
      if (e instanceof HttpError && e.kind === 'auth')
        throw new BadKeyError(
          `TMDb refused the key (HTTP ${e.status}): check it in Settings → API keys.`,
        );
      throw e;
    }
  }

  /** Image base URL and poster sizes from GET /configuration. */
  async configuration(signal?: AbortSignal): Promise<{ imageBase: string; posterSizes: string[] }> {
    const j = (await this.#get('/configuration', {}, signal)) as {
      images?: { secure_base_url?: unknown; poster_sizes?: unknown };
    };
    const imageBase = j.images?.secure_base_url;
    const sizes = j.images?.poster_sizes;
    if (typeof imageBase !== 'string' || !Array.isArray(sizes))
      throw new BadRecordError('configuration without images.secure_base_url / poster_sizes');
    return { imageBase, posterSizes: sizes.filter((s): s is string => typeof s === 'string') };
  }

  /** Genre ids and names (GET /genre/movie/list). */
  async genres(signal?: AbortSignal): Promise<Array<{ id: number; name: string }>> {
    const j = (await this.#get('/genre/movie/list', {}, signal)) as { genres?: unknown };
    if (!Array.isArray(j.genres)) throw new BadRecordError('genre list without genres');
    return j.genres.filter(
      (g): g is { id: number; name: string } =>
        typeof g?.id === 'number' && typeof g?.name === 'string',
    );
  }

  /** One page of movie ids from a list source (discover with filters, popular, top rated). */
  async listPage(
    source: Exclude<MovieSource, { kind: 'ids' }>,
    page: number,
    signal?: AbortSignal,
  ): Promise<{ ids: number[]; totalPages: number }> {
    if (source.kind === 'discover') {
      return mapListPage(
        await this.#get(
          '/discover/movie',
          {
            page,
            sort_by: source.sortBy ?? 'popularity.desc',
            'primary_release_date.gte': source.yearFrom ? `${source.yearFrom}-01-01` : undefined,
            'primary_release_date.lte': source.yearTo ? `${source.yearTo}-12-31` : undefined,
            with_original_language: source.language,
            'vote_count.gte': source.minVoteCount,
            include_adult: 'false',
          },
          signal,
        ),
      );
    }
    return mapListPage(
      await this.#get(
        source.kind === 'popular' ? '/movie/popular' : '/movie/top_rated',
        { page },
        signal,
      ),
    );
  }

  /** A movie's details with keywords, external ids, release dates and credits, mapped to a Movie. */
  async details(id: number, country: string, signal?: AbortSignal): Promise<Movie> {
    return mapTmdbDetails(
      await this.#get(`/movie/${id}`, { append_to_response: APPEND }, signal),
      country,
      Date.now(),
    );
  }
}
