import { checkPosterHeader } from '../data/posters.ts';
import type { Movie, Poster } from '../data/types.ts';
import { HttpError, type HttpClient } from '../net/http.ts';
import type { OmdbClient } from '../net/omdb.ts';
import { BadKeyError, TMDB_MAX_PAGE, type TmdbClient } from '../net/tmdb.ts';
import { BadRecordError } from '../net/tmdb-map.ts';
import { ProgressTracker, type ProgressFn } from '../workers/progress.ts';
import {
  appendLog,
  CRAWL_STATE_KEY,
  GENRES_KEY,
  newCrawlState,
  type CrawlConfig,
  type CrawlLogEntry,
  type CrawlState,
  type CrawlStore,
} from './state.ts';

export interface CrawlDeps {
  store: CrawlStore;
  tmdb: TmdbClient;
  omdb?: OmdbClient;
  /** For posters (no key is ever sent to the image host). */
  http: HttpClient;
  /** Workers pulling ids at once; the HttpClient's own concurrency bounds the requests. */
  poolSize?: number;
  onProgress?: ProgressFn;
  onLog?: (e: CrawlLogEntry) => void;
  signal?: AbortSignal;
  nowMs?: () => number;
}

/** Stored results are flushed (movies, then the state that says they are done) this often. */
const FLUSH_EVERY = 10;
const POSTER_ATTEMPTS = 3;
/**
 * Items in progress at once. Larger than the HTTP concurrency on purpose: an item also waits on
 * IndexedDB (the already-stored check, batch writes), and those waits must not starve the rate
 * limiter of requests (with 8, a 40/s crawl in Chromium reached only 34/s).
 */
const POOL_SIZE = 32;

/** Starts a new crawl (`config`) or resumes the persisted one (`'resume'`); resolves with the final state. */
export async function runCrawl(
  deps: CrawlDeps,
  config: CrawlConfig | 'resume',
): Promise<CrawlState> {
  const now = deps.nowMs ?? Date.now;
  const { store, signal } = deps;
  const saved =
    config === 'resume' ? await store.getSetting<CrawlState>(CRAWL_STATE_KEY) : undefined;
  if (config === 'resume' && !saved) throw new Error('There is no crawl to resume.');
  const state = saved ?? newCrawlState(config as CrawlConfig, now());
  // Resuming a finished crawl retries the posters that failed (the movies are all in).
  if (saved?.phase === 'done' && saved.posterFailed.length && saved.config.posters)
    state.phase = 'posters';
  state.status = 'running';
  delete state.error;
  const log = (level: CrawlLogEntry['level'], message: string) => {
    const e = { atMs: now(), level, message };
    appendLog(state, e);
    deps.onLog?.(e);
  };
  const persist = async () => {
    state.updatedAt = now();
    await store.putSetting(CRAWL_STATE_KEY, state);
  };
  try {
    // A bad key must stop everything before the first list or details request.
    await deps.tmdb.checkKey(signal);
    if (state.config.omdb && deps.omdb) await deps.omdb.checkKey(signal);
    if (!state.imageBase) state.imageBase = (await deps.tmdb.configuration(signal)).imageBase;
    await store.putSetting(GENRES_KEY, await deps.tmdb.genres(signal));
    log(
      'info',
      saved
        ? `Resumed: ${state.done.length} of ${state.ids.length || '?'} movies stored`
        : 'Started',
    );
    await persist();
    if (state.phase === 'ids') await collectIds(deps, state, log, persist);
    if (state.phase === 'details') await fetchDetails(deps, state, log, persist);
    if (state.phase === 'posters') await fetchPosters(deps, state, log, persist);
    state.status = 'done';
    state.phase = 'done';
    log(
      'info',
      `Done: ${state.done.length} movies, ${state.skipped.length} skipped, ${state.postersStored} posters, ${state.posterFailed.length} posters to retry`,
    );
    const st = deps.http.stats;
    log(
      'info',
      `HTTP: ${st.requests} requests, ${st.retries} retries, ${st.status429} × 429, mean answer ${(st.answerMsTotal / Math.max(1, st.requests)).toFixed(0)} ms`,
    );
    await persist();
    return state;
  } catch (e) {
    const aborted = signal?.aborted ?? false;
    state.status = aborted ? 'paused' : 'failed';
    if (!aborted) {
      state.error = e instanceof Error ? e.message : String(e);
      log('error', state.error);
    } else log('info', 'Paused');
    await persist().catch(() => undefined);
    throw e;
  }
}

async function collectIds(
  deps: CrawlDeps,
  state: CrawlState,
  log: (l: CrawlLogEntry['level'], m: string) => void,
  persist: () => Promise<void>,
): Promise<void> {
  const { source, maxMovies } = state.config;
  if (source.kind !== 'ids') {
    const seen = new Set(state.ids);
    const tracker = new ProgressTracker('pages', null, deps.onProgress ?? (() => undefined));
    while (
      state.ids.length < maxMovies &&
      state.nextPage <= Math.min(state.totalPages ?? TMDB_MAX_PAGE, TMDB_MAX_PAGE)
    ) {
      const page = await deps.tmdb.listPage(source, state.nextPage, deps.signal);
      state.totalPages = page.totalPages;
      for (const id of page.ids) {
        if (seen.has(id) || state.ids.length >= maxMovies) continue;
        seen.add(id);
        state.ids.push(id);
      }
      state.nextPage += 1;
      tracker.tick(1, `${state.ids.length} movie ids`);
      await persist();
    }
    log('info', `Collected ${state.ids.length} movie ids from ${state.nextPage - 1} pages`);
  }
  state.phase = 'details';
  await persist();
}

/** Runs fn over items with `size` workers; stops at the first error that is not handled inside fn. */
async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let stopped = false;
  const worker = async () => {
    try {
      while (!stopped && next < items.length) await fn(items[next++]!);
    } catch (e) {
      stopped = true; // the others finish their current item and stop pulling
      throw e;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

async function fetchDetails(
  deps: CrawlDeps,
  state: CrawlState,
  log: (l: CrawlLogEntry['level'], m: string) => void,
  persist: () => Promise<void>,
): Promise<void> {
  const finished = new Set([...state.done, ...state.skipped.map((s) => s.id)]);
  const pending = state.ids.filter((id) => !finished.has(id));
  const tracker = new ProgressTracker(
    'details',
    state.ids.length,
    deps.onProgress ?? (() => undefined),
  );
  tracker.tick(finished.size);
  let buffer: Movie[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = buffer;
    buffer = [];
    // Movies first, then the state saying they are done: a crash in between refetches nothing
    // (the already-stored check below), and putMovies is idempotent anyway.
    flushing = flushing.then(async () => {
      if (batch.length) await deps.store.putMovies(batch);
      for (const m of batch) state.done.push(m.tmdbId!);
      await persist();
    });
    return flushing;
  };
  try {
    await pool(pending, deps.poolSize ?? POOL_SIZE, async (id) => {
      deps.signal?.throwIfAborted();
      const existing = await deps.store.getMovie(`tmdb:${id}`);
      if (existing?.source === 'tmdb') {
        state.done.push(id);
        tracker.tick();
        return;
      }
      try {
        const movie = await deps.tmdb.details(id, state.config.country, deps.signal);
        if (state.config.omdb && deps.omdb && movie.imdbId)
          await enrichFromOmdb(deps.omdb, movie, log, deps.signal);
        buffer.push(movie);
      } catch (e) {
        if (!isSkippable(e)) throw e;
        const reason = e instanceof Error ? e.message : String(e);
        state.skipped.push({ id, reason });
        log('skip', `movie ${id} skipped: ${reason}`);
      }
      tracker.tick();
      if (buffer.length >= FLUSH_EVERY) await flush();
    });
  } finally {
    await flush();
  }
  tracker.finish();
  state.phase = state.config.posters ? 'posters' : 'done';
  await persist();
}

/** Bad records and per-movie HTTP failures skip the movie; a refused key or a cancel stops the crawl. */
function isSkippable(e: unknown): boolean {
  if (e instanceof BadRecordError) return true;
  return e instanceof HttpError && e.kind !== 'auth';
}

async function enrichFromOmdb(
  omdb: OmdbClient,
  movie: Movie,
  log: (l: CrawlLogEntry['level'], m: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const o = await omdb.byImdbId(movie.imdbId!, signal);
    if (!o) return;
    if (o.imdbVotes !== undefined) movie.imdbVotes = o.imdbVotes;
    movie.certificate ??= o.certificate;
    movie.director ??= o.director;
    movie.runtime ??= o.runtime;
    for (const k of ['certificate', 'director', 'runtime'] as const)
      if (movie[k] === undefined) delete movie[k];
  } catch (e) {
    if (e instanceof BadKeyError || !(e instanceof HttpError)) throw e;
    log('warn', `OMDb for ${movie.imdbId}: ${e.message} (kept the TMDb fields)`);
  }
}

async function fetchPosters(
  deps: CrawlDeps,
  state: CrawlState,
  log: (l: CrawlLogEntry['level'], m: string) => void,
  persist: () => Promise<void>,
): Promise<void> {
  const have = new Set(await deps.store.posterKeys());
  const wanted: Array<{ key: string; path: string }> = [];
  for (const id of state.done) {
    const key = `tmdb:${id}`;
    if (have.has(key)) continue;
    const m = await deps.store.getMovie(key);
    if (m?.posterPath) wanted.push({ key, path: m.posterPath });
  }
  const tracker = new ProgressTracker(
    'posters',
    wanted.length,
    deps.onProgress ?? (() => undefined),
  );
  const failed = new Map(state.posterFailed.map((f) => [f.key, f]));
  // Two movies can share a poster file: download each path once per run.
  const byPath = new Map<string, Promise<Uint8Array>>();
  const base = `${(state.imageBase ?? '').replace(/\/+$/, '')}/${state.config.posterSize}`;
  const attempt = async (w: { key: string; path: string }) => {
    deps.signal?.throwIfAborted();
    const url = base + w.path;
    try {
      // Image CDNs answer CORS with ACAO * but may not send CORP; 'cors' mode makes the response
      // usable in the cross-origin-isolated (COEP require-corp) app either way.
      const bytesP =
        byPath.get(w.path) ??
        deps.http
          .getBytes(url, /^image\//, { signal: deps.signal, mode: 'cors' })
          .then((r) => r.bytes);
      byPath.set(w.path, bytesP);
      const bytes = await bytesP;
      const check = checkPosterHeader(`${w.key.slice(5)}.jpg`, bytes);
      if (!check.ok) throw new BadRecordError(check.reason);
      const poster: Poster = {
        movieKey: w.key,
        blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: check.type }),
        width: check.width,
        height: check.height,
        type: check.type,
        sizeBytes: bytes.length,
        source: url,
        addedAt: (deps.nowMs ?? Date.now)(),
      };
      await deps.store.putPosters([poster]);
      failed.delete(w.key);
      state.postersStored += 1;
    } catch (e) {
      byPath.delete(w.path);
      if (!isSkippable(e)) throw e;
      const prev = failed.get(w.key);
      const reason = e instanceof Error ? e.message : String(e);
      failed.set(w.key, { key: w.key, reason, attempts: (prev?.attempts ?? 0) + 1 });
      log('warn', `poster for ${w.key} failed: ${reason}`);
    }
    state.posterFailed = [...failed.values()];
  };
  await pool(wanted, deps.poolSize ?? POOL_SIZE, async (w) => {
    await attempt(w);
    tracker.tick();
    if (tracker.done % FLUSH_EVERY === 0) await persist();
  });
  // Failures are retried after the rest, so a bad poster never holds the crawl up.
  for (let round = 1; round < POSTER_ATTEMPTS && failed.size; round++) {
    const again = wanted.filter((w) => failed.has(w.key));
    log('info', `Retrying ${again.length} posters`);
    await pool(again, deps.poolSize ?? POOL_SIZE, attempt);
  }
  tracker.finish();
  state.phase = 'done';
  await persist();
}
