import { checkPosterHeader } from '../data/posters.ts';
import type { Movie, Poster } from '../data/types.ts';
import type { RateChange } from '../net/adaptive.ts';
import { HttpError, type HttpClient } from '../net/http.ts';
import type { OmdbClient } from '../net/omdb.ts';
import { TMDB_MAX_PAGE, type TmdbClient } from '../net/tmdb.ts';
import { BadRecordError } from '../net/tmdb-map.ts';
import type { CrawlItemRecord } from '../storage/records.ts';
import { ProgressTracker, type ProgressFn } from '../core/progress.ts';
import { GroupCommit } from './group-commit.ts';
import { enrichFromOmdb } from './omdb-enrich.ts';
import {
  appendLog,
  GENRES_KEY,
  loadCrawlState,
  newCrawlMeta,
  type CrawlConfig,
  type CrawlLogEntry,
  type CrawlMeta,
  type CrawlState,
  type CrawlStore,
} from './state.ts';
import { errorMessage } from '../core/errors.ts';

export interface CrawlDeps {
  store: CrawlStore;
  tmdb: TmdbClient;
  omdb?: OmdbClient;
  /** For posters (no key is ever sent to the image host). */
  http: HttpClient;
  /** Workers pulling ids at once; the HttpClient's per-host slots bound the requests. */
  poolSize?: number;
  onProgress?: ProgressFn;
  onLog?: (e: CrawlLogEntry) => void;
  /** Every change of a host's adaptive rate (the panel shows the current one). */
  onRate?: (c: RateChange) => void;
  signal?: AbortSignal;
  nowMs?: () => number;
}

const POSTER_ATTEMPTS = 3;
/**
 * Items in progress at once. Larger than the HTTP slots on purpose: an item also waits on
 * IndexedDB (its one transaction), and those waits must not starve the rate limiter of requests.
 */
const POOL_SIZE = 32;
/** The crawl record (log, phase) is rewritten at most this often while items stream in. */
const META_EVERY_MS = 2000;

/** What the phases share: the record, the items by id, logging and saving. */
interface Run {
  deps: CrawlDeps;
  movies: GroupCommit<{ movie: Movie | null; item: CrawlItemRecord }>;
  posters: GroupCommit<{ poster: Poster | null; item: CrawlItemRecord }>;
  meta: CrawlMeta;
  items: Map<number, CrawlItemRecord>;
  log: (level: CrawlLogEntry['level'], message: string) => void;
  persist: () => Promise<void>;
  /** persist, unless it ran less than META_EVERY_MS ago. */
  persistSoon: () => Promise<void>;
}

const formatRate = (r: number) => (r < 10 ? r.toFixed(1).replace(/\.0$/, '') : r.toFixed(0));

/** Starts a new crawl (`config`) or resumes the saved one (`'resume'`); resolves with the final state. */
export async function runCrawl(
  deps: CrawlDeps,
  config: CrawlConfig | 'resume',
): Promise<CrawlState> {
  const now = deps.nowMs ?? Date.now;
  const { store, signal } = deps;
  const saved = config === 'resume' ? await store.getCrawl<CrawlMeta>() : undefined;
  if (config === 'resume' && !saved) throw new Error('There is no crawl to resume.');
  const meta: CrawlMeta = saved ?? newCrawlMeta(config as CrawlConfig, now());
  delete (meta as { key?: string }).key;
  const items = new Map(saved ? (await store.crawlItems()).map((i) => [i.id, i]) : []);
  // Resuming a finished crawl retries the posters that failed (the movies are all in).
  if (saved?.phase === 'done' && saved.config.posters) meta.phase = 'posters';
  meta.status = 'running';
  delete meta.error;
  let savedAt = -Infinity;
  let started = !!saved;
  const run: Run = {
    deps,
    movies: new GroupCommit((e) => store.putCrawledMovies(e)),
    posters: new GroupCommit((e) => store.putCrawledPosters(e)),
    meta,
    items,
    log: (level, message) => {
      const e = { atMs: now(), level, message };
      appendLog(meta, e);
      deps.onLog?.(e);
    },
    persist: async () => {
      meta.updatedAt = now();
      savedAt = meta.updatedAt;
      await store.putCrawl(meta);
    },
    persistSoon: () => (now() - savedAt >= META_EVERY_MS ? run.persist() : Promise.resolve()),
  };
  deps.http.onRateChange = (c) => {
    if (c.reason === 'slow-down')
      run.log(
        'warn',
        `server asked us to slow down: ${formatRate(c.fromRate)} → ${formatRate(c.toRate)} req/s (${c.host})`,
      );
    deps.onRate?.(c);
  };
  try {
    // A bad key must stop everything before the first list or details request, and before a
    // new crawl replaces the saved one.
    await deps.tmdb.checkKey(signal);
    if (meta.config.omdb && deps.omdb) await deps.omdb.checkKey(signal);
    if (!saved) await store.resetCrawl(meta);
    started = true;
    if (!meta.imageBase) meta.imageBase = (await deps.tmdb.configuration(signal)).imageBase;
    await store.putSetting(GENRES_KEY, await deps.tmdb.genres(signal));
    const c = saved ? await store.crawlCounts() : null;
    const { ratePerSec, concurrency } = deps.http.limits;
    run.log(
      'info',
      `${c ? `Resumed: ${c.stored} of ${meta.ids.length || '?'} movies stored` : 'Started'} (${formatRate(ratePerSec)} req/s and ${concurrency} at once per host)`,
    );
    await run.persist();
    if (meta.phase === 'ids') await collectIds(run);
    if (meta.phase === 'details') await fetchDetails(run);
    if (meta.phase === 'posters') await fetchPosters(run);
    meta.status = 'done';
    meta.phase = 'done';
    const counts = await store.crawlCounts();
    run.log(
      'info',
      `Done: ${counts.stored} movies, ${counts.skipped} skipped, ${counts.postersStored} posters, ${counts.postersFailed} posters to retry`,
    );
    const st = deps.http.stats;
    run.log(
      'info',
      `HTTP: ${st.requests} requests, ${st.retries} retries, ${st.timeouts} timeouts, ${st.status429} × 429, mean answer ${(st.answerMsTotal / Math.max(1, st.requests)).toFixed(0)} ms`,
    );
    await run.persist();
    return (await loadCrawlState(store))!;
  } catch (e) {
    const aborted = signal?.aborted ?? false;
    meta.status = aborted ? 'paused' : 'failed';
    if (!aborted) {
      meta.error = errorMessage(e);
      run.log('error', meta.error);
    } else run.log('info', 'Paused');
    // A new crawl refused before it started leaves the saved one as it was.
    if (started) await run.persist().catch(() => undefined);
    throw e;
  } finally {
    deps.http.onRateChange = undefined;
  }
}

async function collectIds(run: Run): Promise<void> {
  const { meta, deps } = run;
  const { source, maxMovies } = meta.config;
  if (source.kind !== 'ids') {
    const seen = new Set(meta.ids);
    const tracker = new ProgressTracker('pages', null, deps.onProgress ?? (() => undefined));
    while (
      meta.ids.length < maxMovies &&
      meta.nextPage <= Math.min(meta.totalPages ?? TMDB_MAX_PAGE, TMDB_MAX_PAGE)
    ) {
      const page = await deps.tmdb.listPage(source, meta.nextPage, deps.signal);
      meta.totalPages = page.totalPages;
      for (const id of page.ids) {
        if (seen.has(id) || meta.ids.length >= maxMovies) continue;
        seen.add(id);
        meta.ids.push(id);
      }
      meta.nextPage += 1;
      tracker.tick(1, `${meta.ids.length} movie ids`);
      await run.persist();
    }
    run.log('info', `Collected ${meta.ids.length} movie ids from ${meta.nextPage - 1} pages`);
  }
  meta.phase = 'details';
  await run.persist();
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

async function fetchDetails(run: Run): Promise<void> {
  const { meta, deps, items } = run;
  const pending = meta.ids.filter((id) => !items.has(id));
  const tracker = new ProgressTracker(
    'details',
    meta.ids.length,
    deps.onProgress ?? (() => undefined),
  );
  tracker.tick(meta.ids.length - pending.length);
  await pool(pending, deps.poolSize ?? POOL_SIZE, async (id) => {
    deps.signal?.throwIfAborted();
    const stored: CrawlItemRecord = { id, movie: 'stored' };
    // Already in the library from an earlier crawl: counted, not fetched again.
    const existing = await deps.store.getMovie(`tmdb:${id}`);
    if (existing?.source === 'tmdb') {
      await run.movies.add({ movie: null, item: stored });
      items.set(id, stored);
      return void tracker.tick();
    }
    try {
      const movie = await deps.tmdb.details(id, meta.config.country, deps.signal);
      if (meta.config.omdb && deps.omdb && movie.imdbId)
        await enrichFromOmdb(deps.omdb, movie, run.log, deps.signal);
      // The movie and the mark that it is done land together, or not at all.
      await run.movies.add({ movie, item: stored });
      items.set(id, stored);
    } catch (e) {
      if (!isSkippable(e)) throw e;
      const reason = errorMessage(e);
      const skipped: CrawlItemRecord = { id, movie: 'skipped', reason };
      await run.movies.add({ movie: null, item: skipped });
      items.set(id, skipped);
      run.log('skip', `movie ${id} skipped: ${reason}`);
    }
    tracker.tick();
    await run.persistSoon();
  });
  tracker.finish();
  meta.phase = meta.config.posters ? 'posters' : 'done';
  await run.persist();
}

/**
 * Bad records and per-movie HTTP failures skip the movie. A refused key, a cancel, the network
 * being down and a host that answers only 429 stop the crawl instead (Resume continues): no id
 * is ever given up for the server's pacing or for our own connection.
 */
function isSkippable(e: unknown): boolean {
  if (e instanceof BadRecordError) return true;
  return (
    e instanceof HttpError && e.kind !== 'auth' && e.kind !== 'rate-limited' && e.kind !== 'network'
  );
}

async function fetchPosters(run: Run): Promise<void> {
  const { meta, deps, items } = run;
  const wanted = [...items.values()].filter(
    (i) => i.movie === 'stored' && i.poster !== 'stored' && i.poster !== 'none',
  );
  const tracker = new ProgressTracker(
    'posters',
    wanted.length,
    deps.onProgress ?? (() => undefined),
  );
  // Two movies can share a poster file: download each path once per run.
  const byPath = new Map<string, Promise<Uint8Array>>();
  const base = `${(meta.imageBase ?? '').replace(/\/+$/, '')}/${meta.config.posterSize}`;
  const failed = new Set<number>();
  const attempt = async (item: CrawlItemRecord) => {
    deps.signal?.throwIfAborted();
    const key = `tmdb:${item.id}`;
    const path = (await deps.store.getMovie(key))?.posterPath;
    if (!path) {
      const none: CrawlItemRecord = { ...item, poster: 'none' };
      await run.posters.add({ poster: null, item: none });
      items.set(item.id, none);
      return;
    }
    const url = base + path;
    try {
      // Image CDNs answer CORS with ACAO * but may not send CORP; 'cors' mode makes the response
      // usable in the cross-origin-isolated (COEP require-corp) app either way.
      const bytesP =
        byPath.get(path) ??
        deps.http
          .getBytes(url, /^image\//, { signal: deps.signal, mode: 'cors' })
          .then((r) => r.bytes);
      byPath.set(path, bytesP);
      const bytes = await bytesP;
      const check = checkPosterHeader(`${item.id}.jpg`, bytes);
      if (!check.ok) throw new BadRecordError(check.reason);
      const poster: Poster = {
        movieKey: key,
        blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: check.type }),
        width: check.width,
        height: check.height,
        type: check.type,
        sizeBytes: bytes.length,
        source: url,
        addedAt: (deps.nowMs ?? Date.now)(),
      };
      const done: CrawlItemRecord = { id: item.id, movie: 'stored', poster: 'stored' };
      await run.posters.add({ poster, item: done });
      items.set(item.id, done);
      failed.delete(item.id);
    } catch (e) {
      byPath.delete(path);
      if (!isSkippable(e)) throw e;
      const reason = errorMessage(e);
      const prev = items.get(item.id) ?? item;
      const next: CrawlItemRecord = {
        ...prev,
        poster: 'failed',
        posterReason: reason,
        posterAttempts: (prev.posterAttempts ?? 0) + 1,
      };
      await run.posters.add({ poster: null, item: next });
      items.set(item.id, next);
      failed.add(item.id);
      run.log('warn', `poster for ${key} failed: ${reason}`);
    }
  };
  await pool(wanted, deps.poolSize ?? POOL_SIZE, async (item) => {
    await attempt(item);
    tracker.tick();
    await run.persistSoon();
  });
  // Failures are retried after the rest, so a bad poster never holds the crawl up.
  for (let round = 1; round < POSTER_ATTEMPTS && failed.size; round++) {
    const again = [...failed].map((id) => items.get(id)!);
    run.log('info', `Retrying ${again.length} posters`);
    await pool(again, deps.poolSize ?? POOL_SIZE, attempt);
  }
  tracker.finish();
  meta.phase = 'done';
  await run.persist();
}
