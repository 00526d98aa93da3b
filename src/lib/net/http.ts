import {
  backoffDelayMs,
  DEFAULT_BACKOFF,
  parseRetryAfterMs,
  type BackoffOptions,
} from './backoff.ts';
import { AdaptiveRate, LatencyTracker, type RateChange } from './adaptive.ts';
import {
  RateLimiter,
  REAL_TIMING,
  Semaphore,
  type LimiterSnapshot,
  type Timing,
} from './rate-limiter.ts';
import { errorMessage } from '../core/errors.ts';

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
  /** Requests in flight at once per host (at most MAX_IN_FLIGHT_PER_HOST). */
  concurrency: number;
  /** Ceiling of the per-attempt timeout (headers and body); the timeout itself adapts (see LatencyTracker). */
  timeoutMs: number;
  /** Retries after the first attempt for 5xx, timeouts and network errors (429s wait their turn, uncounted). */
  maxRetries: number;
  backoff?: BackoffOptions;
  timing?: Timing;
  random?: () => number;
  fetchFn?: typeof fetch;
  /** Told whenever a host's adaptive rate changes. */
  onRateChange?: (change: RateChange) => void;
}

/**
 * Chromium opens at most 6 connections per host; a 7th request queues inside the browser, out of
 * the rate limiter's sight, and leaves later in a burst. One connection is left spare.
 */
export const MAX_IN_FLIGHT_PER_HOST = 5;
/** A host that has answered nothing but 429 for this long stops the crawl (resumable), no id is skipped. */
export const GIVE_UP_429_MS = 5 * 60_000;

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
  timeouts: number;
  failures: number;
  /** Sum over answered requests of (headers received − permit granted), for the mean latency. */
  answerMsTotal: number;
}

/** One host's limiter and slots at one moment (see HttpClient.snapshot). */
export interface HostSnapshot extends LimiterSnapshot {
  host: string;
  /** Slots (requests at once) free, and requests queued for one. */
  slotsFree: number;
  slotsQueued: number;
}

interface RequestInit2 {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** CORS mode; image CDNs are fetched with 'cors' (see tmdb.ts). */
  mode?: RequestMode;
  /** Overrides maxRetries (a key check retries once: it must answer fast). */
  retries?: number;
  /** Overrides the adaptive timeout. */
  timeoutMs?: number;
}

class Retry extends Error {
  constructor(
    readonly error: HttpError,
    readonly waitMs: number | null,
  ) {
    super(error.message);
  }
}

/** What the client keeps per host: its rate, window, slots and latency. */
interface Host {
  name: string;
  limiter: RateLimiter;
  slots: Semaphore;
  latency: LatencyTracker;
  rate: AdaptiveRate;
}

const offline = () =>
  (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;

export class HttpClient {
  readonly stats: HttpStats = {
    requests: 0,
    retries: 0,
    status429: 0,
    timeouts: 0,
    failures: 0,
    answerMsTotal: 0,
  };
  /** Told whenever a host's adaptive rate changes (the crawl sets it for its run). */
  onRateChange: ((change: RateChange) => void) | undefined;
  readonly #opts: HttpOptions;
  readonly #hosts = new Map<string, Host>();
  readonly #timing: Timing;

  constructor(options: Partial<HttpOptions> = {}) {
    this.#opts = { ...DEFAULT_HTTP, ...options };
    this.#timing = this.#opts.timing ?? REAL_TIMING;
    this.onRateChange = this.#opts.onRateChange;
  }

  #host(url: string): Host {
    const name = new URL(url).host;
    let h = this.#hosts.get(name);
    if (!h) {
      const max = this.#opts.hostRates?.[name] ?? this.#opts.ratePerSec;
      h = {
        name,
        limiter: new RateLimiter(max, { timing: this.#timing }),
        slots: new Semaphore(Math.min(MAX_IN_FLIGHT_PER_HOST, this.#opts.concurrency)),
        latency: new LatencyTracker(this.#opts.timeoutMs),
        rate: new AdaptiveRate(max, this.#timing.nowMs()),
      };
      this.#hosts.set(name, h);
    }
    return h;
  }

  /** The configured per-host budget: requests per second (before adaptation) and at once. */
  get limits(): { ratePerSec: number; concurrency: number } {
    return {
      ratePerSec: this.#opts.ratePerSec,
      concurrency: Math.min(MAX_IN_FLIGHT_PER_HOST, this.#opts.concurrency),
    };
  }

  /** The current (adaptive) rate of each host used so far. */
  rates(): Record<string, number> {
    return Object.fromEntries([...this.#hosts].map(([k, h]) => [k, h.limiter.rate]));
  }

  /** Each host's limiter and slots now (a diagnostic: the crawl bench logs it once a second). */
  snapshot(): HostSnapshot[] {
    return [...this.#hosts.values()].map((h) => {
      const { free, queued } = h.slots.state;
      return { host: h.name, ...h.limiter.snapshot(), slotsFree: free, slotsQueued: queued };
    });
  }

  #setRate(h: Host, next: number | null, reason: RateChange['reason']): void {
    if (next === null) return;
    const fromRate = h.limiter.rate;
    h.limiter.setRate(next);
    this.onRateChange?.({ host: h.name, fromRate, toRate: next, reason });
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
    if (offline())
      throw new HttpError('network', `You are offline (no network): ${redactUrl(url)} not tried`);
    const host = this.#host(url);
    const maxRetries = init.retries ?? this.#opts.maxRetries;
    let failures = 0;
    let timeouts = 0;
    let first429: number | null = null;
    for (;;) {
      try {
        return await this.#attempt(url, init, host, timeouts, read);
      } catch (e) {
        if (!(e instanceof Retry)) {
          if (e instanceof HttpError) this.stats.failures += 1;
          throw e;
        }
        this.stats.retries += 1;
        // A 429 is the server pacing us, not a fault of this request: it waits its turn (the
        // limiter is slower or paused now) and does not count against maxRetries.
        if (e.error.kind === 'rate-limited') {
          first429 ??= this.#timing.nowMs();
          if (this.#timing.nowMs() - first429 < GIVE_UP_429_MS) continue;
          this.stats.failures += 1;
          throw new HttpError(
            'rate-limited',
            `${host.name} has answered only 429 Too Many Requests for ${GIVE_UP_429_MS / 60_000} minutes: stopped (Resume later)`,
            429,
          );
        }
        if (e.error.kind === 'timeout') timeouts += 1;
        if (failures >= maxRetries) {
          this.stats.retries -= 1;
          this.stats.failures += 1;
          throw new HttpError(
            e.error.kind,
            `${e.error.message} (gave up after ${failures + 1} attempts)`,
            e.error.status,
          );
        }
        const wait =
          e.waitMs ??
          backoffDelayMs(failures, this.#opts.backoff ?? DEFAULT_BACKOFF, this.#opts.random);
        failures += 1;
        await this.#timing.sleep(wait, init.signal);
      }
    }
  }

  async #attempt<T>(
    url: string,
    init: RequestInit2,
    host: Host,
    timeouts: number,
    read: (res: Response) => Promise<T>,
  ): Promise<T> {
    const outer = init.signal;
    // A slot first, then a permit: a hung request holds one slot of this host, nothing more.
    const release = await host.slots.acquire(outer);
    const timeout = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const shown = redactUrl(url);
    let answered = (): void => undefined;
    let timeoutMs = 0;
    try {
      answered = await host.limiter.acquire(outer);
      // The clock starts once the request may leave (a wait for a permit is no timeout).
      timeoutMs = init.timeoutMs ?? host.latency.timeoutMs(timeouts);
      timer = setTimeout(
        () => timeout.abort(new DOMException('timeout', 'TimeoutError')),
        timeoutMs,
      );
      const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
      this.stats.requests += 1;
      const sentAt = this.#timing.nowMs();
      host.rate.onSend(sentAt);
      const res = await (this.#opts.fetchFn ?? fetch)(url, {
        headers: init.headers,
        signal,
        mode: init.mode,
        credentials: 'omit',
        cache: 'no-store',
      });
      answered();
      const headersAt = this.#timing.nowMs();
      this.stats.answerMsTotal += headersAt - sentAt;
      if (res.status === 429) {
        this.stats.status429 += 1;
        await res.body?.cancel().catch(() => undefined);
        this.#setRate(host, host.rate.on429(sentAt, headersAt), 'slow-down');
        // Readable only when the server lists it in Access-Control-Expose-Headers.
        const waitMs = parseRetryAfterMs(res.headers.get('retry-after'));
        if (waitMs !== null) host.limiter.pauseUntil(headersAt + waitMs);
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
      const out = await read(res);
      const doneAt = this.#timing.nowMs();
      host.latency.add(doneAt - sentAt);
      this.#setRate(host, host.rate.onSuccess(doneAt), 'recover');
      return out;
    } catch (e) {
      if (e instanceof Retry || e instanceof HttpError) throw e;
      if (outer?.aborted) throw outer.reason as Error;
      if (timeout.signal.aborted) {
        this.stats.timeouts += 1;
        throw new Retry(
          new HttpError('timeout', `timed out after ${timeoutMs} ms: ${shown}`),
          null,
        );
      }
      throw new Retry(
        new HttpError('network', `network error (${errorMessage(e)}): ${shown}`),
        null,
      );
    } finally {
      answered();
      clearTimeout(timer);
      release();
    }
  }
}
