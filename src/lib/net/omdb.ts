import { HttpError, type HttpClient } from './http.ts';
import { BadKeyError, DEFAULT_ENDPOINTS, KEY_CHECK_TIMEOUT_MS } from './tmdb.ts';

/** IMDb fields OMDb gives (`imdbVotes`, `Rated`, `Director`, `Runtime`), parsed. */
export interface OmdbFields {
  imdbVotes?: number;
  certificate?: string;
  director?: string;
  runtime?: number;
}

const given = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' && v !== 'N/A' ? v.trim() : undefined;

/** Parses an OMDb by-id answer; undefined when OMDb says it has no such title. */
export function mapOmdb(json: unknown): OmdbFields | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const j = json as Record<string, unknown>;
  if (j.Response !== 'True') return undefined;
  const votes = given(j.imdbVotes)?.replace(/,/g, '');
  const runtime = /^(\d+)\s*min/.exec(given(j.Runtime) ?? '')?.[1];
  const out: OmdbFields = {};
  if (votes && /^\d+$/.test(votes)) out.imdbVotes = Number(votes);
  if (given(j.Rated)) out.certificate = given(j.Rated);
  if (given(j.Director)) out.director = given(j.Director);
  if (runtime) out.runtime = Number(runtime);
  return out;
}

/** The OMDb adapter; the key goes only to `base`. */
export class OmdbClient {
  constructor(
    readonly http: HttpClient,
    readonly key: string,
    readonly base: string = DEFAULT_ENDPOINTS.omdbBase,
  ) {}

  #url(imdbId: string): string {
    const u = new URL(this.base);
    u.searchParams.set('i', imdbId);
    u.searchParams.set('apikey', this.key.trim());
    return u.toString();
  }

  /** Fetches one title; undefined when OMDb does not know it. */
  async byImdbId(
    imdbId: string,
    signal?: AbortSignal,
    check = false,
  ): Promise<OmdbFields | undefined> {
    try {
      return mapOmdb(
        await this.http.getJson(
          this.#url(imdbId),
          check ? { signal, retries: 1, timeoutMs: KEY_CHECK_TIMEOUT_MS } : { signal },
        ),
      );
    } catch (e) {
      if (e instanceof HttpError && e.kind === 'auth')
        throw new BadKeyError('OMDb refused the key: check it in Settings → API keys.');
      throw e;
    }
  }

  /** One call with a well-known id to prove the key works. */
  async checkKey(signal?: AbortSignal): Promise<void> {
    if (!this.key.trim()) throw new BadKeyError('No OMDb key: enter one in Settings → API keys.');
    await this.byImdbId('tt0000001', signal, true);
  }
}
