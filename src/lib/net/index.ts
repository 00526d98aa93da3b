/** Network adapters: the app's only fetch code (HTTP client with politeness, TMDb, OMDb, model hosts). */
export { RateLimiter, Semaphore, sleep, REAL_TIMING, type Timing } from './rate-limiter.ts';
export {
  backoffDelayMs,
  parseRetryAfterMs,
  DEFAULT_BACKOFF,
  type BackoffOptions,
} from './backoff.ts';
export {
  AdaptiveRate,
  LatencyTracker,
  MIN_RATE,
  TIMEOUT_FLOOR_MS,
  TIMEOUT_MULTIPLE,
  type RateChange,
} from './adaptive.ts';
export {
  HttpClient,
  MAX_IN_FLIGHT_PER_HOST,
  HttpError,
  redactUrl,
  DEFAULT_HTTP,
  type HttpErrorKind,
  type HttpOptions,
  type HttpStats,
} from './http.ts';
export {
  TmdbClient,
  BadKeyError,
  DEFAULT_ENDPOINTS,
  TMDB_MAX_PAGE,
  APPEND,
  isV4Token,
  type Endpoints,
  type MovieSource,
} from './tmdb.ts';
export { BadRecordError, mapTmdbDetails, mapListPage, certificateFor } from './tmdb-map.ts';
export { OmdbClient, mapOmdb, type OmdbFields } from './omdb.ts';
export {
  fetchModelFile,
  modelFetchFunc,
  storedModelFile,
  storeModelFile,
  removeModelFiles,
  listStoredModelFiles,
  unavailableMessage,
  ModelUnavailableError,
  type ModelFileSource,
  type StoredModelFile,
  type ModelStoreDeps,
} from './model-store.ts';
export {
  MODEL_HOST_TABLE,
  SHARED_MODEL_FOLDERS,
  backboneOfUrl,
  folderOf,
  formatMegabytes,
  type ModelHost,
} from './model-hosts.ts';
