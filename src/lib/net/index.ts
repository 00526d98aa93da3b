/** Network adapters: the app's only fetch code (HTTP client with politeness, TMDb, OMDb). */
export { RateLimiter, Semaphore, sleep, REAL_TIMING, type Timing } from './rate-limiter.ts';
export { backoffDelayMs, parseRetryAfterMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
export { HttpClient, HttpError, redactUrl, DEFAULT_HTTP, type HttpErrorKind, type HttpOptions, type HttpStats } from './http.ts';
