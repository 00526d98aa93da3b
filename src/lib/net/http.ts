import {
  backoffDelayMs,
  DEFAULT_BACKOFF,
  parseRetryAfterMs,
  type BackoffOptions,
} from './backoff.ts';
import { RateLimiter, REAL_TIMING, Semaphore, type Timing } from './rate-limiter.ts';

/** Why a request failed for good; `retryable` kinds were retried until maxRetries ran out. */
export type HttpErrorKind =
  'auth' | 'not-found' | 'client' | 'server' | 'network' | 'timeout' | 'rate-limited' | 'bad-body';

/** A request that failed after any retries. Its message never holds secrets (see redactUrl). */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const SECRET_PARAMS = /^(api_?key|apikey|key|token|access_token|session_id)$/i;

/** The URL with secret query values replaced by `***`: the only form of a URL that logs and errors show. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const k of [...u.searchParams.keys()])
      if (SECRET_PARAMS.test(k)) u.searchParams.set(k, '***');
    return u.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '(unparseable URL)';
  }
}

export interface HttpOptions {
  /** Requests per second for hosts without their own entry (the paper crawled at 4/s). */
  ratePerSec: number;
  /** Per-host rates by `host[:port]`. */
  hostRates?: Record<string, number>;
  /** Requests in flight at once, over all hosts. */
  concurrency: number;
  /** Per attempt, covering the headers and the body. */
  timeoutMs: number;
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  backoff?: BackoffOptions;
  timing?: Timing;
  random?: () => number;
  fetchFn?: typeof fetch;
}

export const DEFAULT_HTTP: HttpOptions = {
  ratePerSec: 4,
  concurrency: 4,
  timeoutMs: 15_000,
  maxRetries: 5,
};

/** Counters a crawl shows and tests assert on. */
export interface HttpStats {
  requests: number;
  retries: number;
  status429: number;
  failures: number;
  /** Sum over answered requests of (headers received − permit granted), for the mean latency. */
  answerMsTotal: number;
}

interface RequestInit2 {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** CORS mode; image CDNs are fetched with 'cors' (see tmdb.ts). */
  mode?: RequestMode;
}

class Retry extends Error {
  constructor(
    readonly error: HttpError,
    readonly waitMs: number | null,
  ) {
    super(error.message);
  }
}

/** The crawl's HTTP client: per-host token buckets, bounded concurrency, timeouts, retries with backoff, Retry-After. */
export class HttpClient {
  readonly stats: HttpStats = {
    requests: 0,
    retries: 0,
    status429: 0,
    failures: 0,
    answerMsTotal: 0,
  };
  readonly #opts: HttpOptions;
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #slots: Semaphore;
  readonly #timing: Timing;

  constructor(options: Partial<HttpOptions> = {}) {
    this.#opts = { ...DEFAULT_HTTP, ...options };
    this.#slots = new Semaphore(this.#opts.concurrency);
    this.#timing = this.#opts.timing ?? REAL_TIMING;
  }

  #limiter(url: string): RateLimiter {
    const host = new URL(url).host;
    let l = this.#limiters.get(host);
    if (!l) {
      l = new RateLimiter(this.#opts.hostRates?.[host] ?? this.#opts.ratePerSec, {
        timing: this.#timing,
      });
      this.#limiters.set(host, l);
    }
    return l;
  }

  /** GETs JSON; an HTML page, a non-JSON type or an unparseable body is a 'bad-body' error (not retried). */
  getJson(url: string, init: RequestInit2 = {}): Promise<unknown> {
    return this.#request(
      url,
      { ...init, headers: { Accept: 'application/json', ...init.headers } },
      async (res) => {
        const text = await res.text();
        const type = res.headers.get('content-type') ?? '';
        if (/^\s*</.test(text))
          throw new HttpError(
            'bad-body',
            `HTML page instead of JSON from ${redactUrl(url)}`,
            res.status,
          );
        if (!/json/i.test(type))
          throw new HttpError(
            'bad-body',
            `content-type ${type || '(none)'} instead of JSON from ${redactUrl(url)}`,
            res.status,
          );
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new HttpError(
            'bad-body',
            `malformed JSON (${text.length} bytes) from ${redactUrl(url)}`,
            res.status,
          );
        }
      },
    );
  }

  /** GETs bytes whose content-type must match `typePattern` (e.g. /^image\//). */
  getBytes(
    url: string,
    typePattern: RegExp,
    init: RequestInit2 = {},
  ): Promise<{ bytes: Uint8Array; contentType: string }> {
    return this.#request(url, init, async (res) => {
      const contentType = res.headers.get('content-type') ?? '';
      if (!typePattern.test(contentType)) {
        await res.body?.cancel().catch(() => undefined);
        throw new HttpError(
          'bad-body',
          `content-type ${contentType || '(none)'} from ${redactUrl(url)}`,
          res.status,
        );
      }
      return { bytes: new Uint8Array(await res.arrayBuffer()), contentType };
    });
  }

  async #request<T>(
    url: string,
    init: RequestInit2,
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    const limiter = this.#limiter(url);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(url, init, limiter, read);
      } catch (e) {
        if (!(e instanceof Retry)) {
          if (e instanceof HttpError) this.stats.failures += 1;
          throw e;
        }
        if (attempt >= this.#opts.maxRetries) {
          this.stats.failures += 1;
          throw new HttpError(
            e.error.kind,
            `${e.error.message} (gave up after ${attempt + 1} attempts)`,
            e.error.status,
          );
        }
        this.stats.retries += 1;
        const wait =
          e.waitMs ??
          backoffDelayMs(attempt, this.#opts.backoff ?? DEFAULT_BACKOFF, this.#opts.random);
        await this.#timing.sleep(wait, init.signal);
      }
    }
  }

  async #attempt<T>(
    url: string,
    init: RequestInit2,
    limiter: RateLimiter,
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    const outer = init.signal;
    const release = await this.#slots.acquire(outer);
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('timeout', 'TimeoutError')),
      this.#opts.timeoutMs,
    );
    const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
    const shown = redactUrl(url);
    let answered = (): void => undefined;
    try {
      answered = await limiter.acquire(outer);
      this.stats.requests += 1;
      const sentAt = this.#timing.nowMs();
      const res = await (this.#opts.fetchFn ?? fetch)(url, {
        headers: init.headers,
        signal,
        mode: init.mode,
        credentials: 'omit',
        cache: 'no-store',
      });
      answered();
      this.stats.answerMsTotal += this.#timing.nowMs() - sentAt;
      if (res.status === 429) {
        this.stats.status429 += 1;
        await res.body?.cancel().catch(() => undefined);
        const waitMs = parseRetryAfterMs(res.headers.get('retry-after'));
        if (waitMs !== null) limiter.pauseUntil(this.#timing.nowMs() + waitMs);
        throw new Retry(
          new HttpError('rate-limited', `429 Too Many Requests from ${shown}`, 429),
          waitMs,
        );
      }
      if (res.status >= 500) {
        await res.body?.cancel().catch(() => undefined);
        throw new Retry(new HttpError('server', `${res.status} from ${shown}`, res.status), null);
      }
      if (!res.ok) {
        const kind =
          res.status === 401 || res.status === 403
            ? 'auth'
            : res.status === 404
              ? 'not-found'
              : 'client';
        await res.body?.cancel().catch(() => undefined);
        throw new HttpError(
          kind,
          `${res.status} ${res.statusText || ''} from ${shown}`.replace('  ', ' '),
          res.status,
        );
      }
      return await read(res);
    } catch (e) {
      if (e instanceof Retry || e instanceof HttpError) throw e;
      if (outer?.aborted) throw outer.reason as Error;
      if (timeout.signal.aborted)
        throw new Retry(
          new HttpError('timeout', `timed out after ${this.#opts.timeoutMs} ms: ${shown}`),
          null,
        );
      throw new Retry(
        new HttpError(
          'network',
          `network error (${e instanceof Error ? e.message : String(e)}): ${shown}`,
        ),
        null,
      );
    } finally {
      answered();
      clearTimeout(timer);
      release();
    }
  }
}
