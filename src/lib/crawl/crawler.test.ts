import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, POSTER_DIR, type FakeMovie } from '../../../test/fake-servers/catalogue.ts';
import { MemoryStore } from '../../../test/fake-servers/memory-store.ts';
import { FAKE_KEYS, startFakeServer, type FakeServer } from '../../../test/fake-servers/server.ts';
import { HttpClient } from '../net/http.ts';
import { OmdbClient } from '../net/omdb.ts';
import { BadKeyError, TmdbClient } from '../net/tmdb.ts';
import { runCrawl } from './crawler.ts';
import { checkKeys } from './setup.ts';
import {
  API_KEYS_KEY,
  DEFAULT_CRAWL,
  loadCrawlState,
  NET_SETTINGS_KEY,
  parseIdList,
  type CrawlConfig,
} from './state.ts';

const CATALOGUE = loadCatalogue({ limit: 120, withPostersFirst: true });
let server: FakeServer;

beforeAll(async () => {
  server = await startFakeServer({ movies: CATALOGUE });
});
afterAll(() => server.close());

function deps(
  store: MemoryStore,
  opts: {
    rate?: number;
    key?: string;
    signal?: AbortSignal;
    timeoutMs?: number;
    omdb?: boolean;
  } = {},
) {
  const http = new HttpClient({
    ratePerSec: opts.rate ?? 200,
    concurrency: 8,
    timeoutMs: opts.timeoutMs ?? 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    random: () => 0.5,
  });
  return {
    store,
    http,
    tmdb: new TmdbClient(http, opts.key ?? FAKE_KEYS.apiKey, server.tmdbBase),
    omdb: opts.omdb ? new OmdbClient(http, FAKE_KEYS.omdbKey, server.omdbBase) : undefined,
    signal: opts.signal,
  };
}

const popular = (n: number, extra: Partial<CrawlConfig> = {}): CrawlConfig => ({
  ...DEFAULT_CRAWL,
  source: { kind: 'popular' },
  maxMovies: n,
  ...extra,
});
const byPopularity = [...CATALOGUE].sort((a, b) => b.popularity - a.popularity || a.id - b.id);
const detailRequests = (from: number) =>
  server.log.slice(from).filter((r) => /^\/3\/movie\/\d+$/.test(r.path));
/** Movies without the write time, keyed, for equality across runs. */
const snapshot = (s: MemoryStore) =>
  Object.fromEntries([...s.movies].map(([k, { updatedAt: _t, ...m }]) => [k, m]));

function expectMapped(m: FakeMovie, s: MemoryStore) {
  const got = s.movies.get(`tmdb:${m.id}`)!;
  expect(got).toMatchObject({
    tmdbId: m.id,
    imdbId: m.imdb_id,
    title: m.title,
    originalTitle: m.original_title,
    genreIds: m.genres.map((g) => g.id),
    keywords: m.keywords.map((k) => k.name),
    popularity: m.popularity,
    voteCount: m.vote_count,
    voteAverage: m.vote_average,
    director: m.director,
    certificate: m.certificates.US,
    originalLanguage: m.original_language,
    adult: false,
    video: false,
    source: 'tmdb',
  });
  if (m.release_date)
    expect(got).toMatchObject({
      releaseDate: m.release_date,
      year: Number(m.release_date.slice(0, 4)),
      month: Number(m.release_date.slice(5, 7)),
    });
  expect(got.posterPath ?? null).toBe(m.poster_path);
}

describe('runCrawl against the fake TMDb', () => {
  it('stores every movie of the source exactly once with its fields mapped, and its posters byte for byte', async () => {
    const store = new MemoryStore();
    const from = server.log.length;
    const state = await runCrawl(deps(store), popular(50));
    expect(state.status).toBe('done');
    expect(store.movies.size).toBe(50);
    expect(store.movieWrites).toBe(50);
    for (const m of byPopularity.slice(0, 50)) expectMapped(m, store);
    const ids = detailRequests(from).map((r) => r.path);
    expect(new Set(ids).size).toBe(ids.length);
    expect(detailRequests(from)[0]!.query.get('append_to_response')).toBe(
      'keywords,external_ids,release_dates,credits',
    );
    const withPoster = byPopularity.slice(0, 50).filter((m) => m.poster_path);
    expect(store.posters.size).toBe(withPoster.length);
    for (const m of withPoster) {
      const p = store.posters.get(`tmdb:${m.id}`)!;
      expect(new Uint8Array(await p.blob.arrayBuffer())).toEqual(
        new Uint8Array(readFileSync(join(POSTER_DIR, `${m.id}.jpg`))),
      );
      expect(p.source).toContain('/w185/');
    }
  });

  it('stops before crawling when the key is bad, with a clear message', async () => {
    const store = new MemoryStore();
    const from = server.log.length;
    const err = await runCrawl(deps(store, { key: 'not-a-key' }), popular(10)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BadKeyError);
    expect((err as Error).message).toMatch(/TMDb refused the key/);
    expect(server.log.slice(from).map((r) => r.path)).toEqual(['/3/authentication']);
    expect(store.movies.size).toBe(0);
  });

  it('skips bad records with logged reasons, retries transient faults, and stores the rest', async () => {
    const store = new MemoryStore();
    const [a, b, c, d, e, f, g] = byPopularity.slice(0, 7).map((m) => m.id);
    server.addFault({ match: new RegExp(`^/3/movie/${a}$`), kind: 'malformed' });
    server.addFault({ match: new RegExp(`^/3/movie/${b}$`), kind: 'html' });
    server.addFault({ match: new RegExp(`^/3/movie/${c}$`), kind: 'missing-field' });
    server.addFault({ match: new RegExp(`^/3/movie/${d}$`), kind: 'bad-type' });
    server.addFault({ match: new RegExp(`^/3/movie/${e}$`), kind: '429', retryAfterSec: 1 });
    server.addFault({ match: new RegExp(`^/3/movie/${f}$`), kind: '503', times: 2 });
    server.addFault({ match: new RegExp(`^/3/movie/${g}$`), kind: 'hang' });
    const withPoster = byPopularity.slice(7, 30).filter((m) => m.poster_path);
    server.addFault({
      match: new RegExp(`^/t/p/w185/${withPoster[5]!.id}\\.jpg$`),
      kind: 'wrong-type',
      times: 1,
    });
    server.addFault({
      match: new RegExp(`^/t/p/w185/${withPoster[6]!.id}\\.jpg$`),
      kind: 'truncate',
      times: 1,
    });
    const state = await runCrawl(deps(store, { timeoutMs: 400 }), popular(30));
    expect(state.skipped.map((s) => s.id).sort()).toEqual([a, b, c, d].sort());
    const reasons = Object.fromEntries(state.skipped.map((s) => [s.id, s.reason]));
    expect(reasons[a!]).toMatch(/malformed JSON/);
    expect(reasons[b!]).toMatch(/HTML page instead of JSON/);
    expect(reasons[c!]).toMatch(/missing field title/);
    expect(reasons[d!]).toMatch(/field popularity: expected number, got string/);
    expect(state.log.filter((l) => l.level === 'skip')).toHaveLength(4);
    expect(store.movies.size).toBe(26);
    for (const id of [e, f, g]) expect(store.movies.has(`tmdb:${id}`)).toBe(true);
    expect(state.log.some((l) => /content-type text\/html/.test(l.message))).toBe(true);
    // Both broken posters got in on a later attempt.
    const stored = byPopularity
      .slice(0, 30)
      .filter((m) => m.poster_path && ![a, b, c, d].includes(m.id));
    expect(store.posters.size).toBe(stored.length);
    expect(state.posterFailed).toEqual([]);
    server.clearFaults();
  });

  it('keeps a poster that failed every attempt for later, and Resume on a finished crawl fetches it', async () => {
    const store = new MemoryStore();
    const m = byPopularity.filter((x) => x.poster_path)[0]!;
    server.addFault({
      match: new RegExp(`^/t/p/w185/${m.id}\\.jpg$`),
      kind: 'wrong-type',
      times: 3,
    });
    const done = await runCrawl(deps(store), popular(5));
    expect(done.status).toBe('done');
    expect(done.posterFailed).toEqual([
      {
        key: `tmdb:${m.id}`,
        reason: expect.stringMatching(/content-type text\/html/) as string,
        attempts: 3,
      },
    ]);
    expect(store.posters.has(`tmdb:${m.id}`)).toBe(false);
    const again = await runCrawl(deps(store), 'resume');
    expect(again.posterFailed).toEqual([]);
    expect(store.posters.has(`tmdb:${m.id}`)).toBe(true);
    expect(store.movieWrites).toBe(5);
  });

  it('ends an aborted-then-resumed crawl with the same library as an uninterrupted one, fetching nothing twice', async () => {
    const whole = new MemoryStore();
    await runCrawl(deps(whole), popular(60));

    const store = new MemoryStore();
    const controller = new AbortController();
    const from = server.log.length;
    const first = runCrawl(deps(store, { signal: controller.signal, rate: 60 }), popular(60));
    const timer = setInterval(() => {
      if (store.movies.size >= 20) controller.abort(new DOMException('Cancelled', 'AbortError'));
    }, 5);
    await expect(first).rejects.toThrow('Cancelled');
    clearInterval(timer);
    const paused = (await loadCrawlState(store))!;
    expect(paused.status).toBe('paused');
    expect(paused.counts.stored).toBeGreaterThanOrEqual(20);
    expect(paused.counts.stored).toBeLessThan(60);
    // Every movie in the library is marked done: the counts come from the items, not a counter.
    expect(paused.counts.stored).toBe(store.movies.size);

    const state = await runCrawl(deps(store), 'resume');
    expect(state.status).toBe('done');
    expect(snapshot(store)).toEqual(snapshot(whole));
    expect([...store.posters.keys()].sort()).toEqual([...whole.posters.keys()].sort());
    const details = detailRequests(from).map((r) => r.path);
    // Only a request in flight at the abort may be sent again on resume: at most the host's slots.
    expect(details.length - new Set(details).size).toBeLessThanOrEqual(5);
    expect(new Set(details).size).toBe(60);
    expect(store.movieWrites).toBe(60);
  });

  it('keeps the measured request rate at the limit during a crawl (10/s)', async () => {
    const store = new MemoryStore();
    const from = server.log.length;
    const t0 = performance.now();
    await runCrawl(deps(store, { rate: 10 }), popular(20, { posters: false }));
    const mine = new Set(server.log.slice(from));
    const requests = mine.size;
    expect(server.maxInWindow(1000, (r) => mine.has(r))).toBeLessThanOrEqual(10);
    const rate = requests / ((performance.now() - t0) / 1000);
    expect(rate).toBeGreaterThan(8); // 25 requests: check, configuration, genres, 2 pages, 20 details
  });

  it('crawls discover with filters and a pasted id list', async () => {
    const store = new MemoryStore();
    const from = server.log.length;
    await runCrawl(deps(store), {
      ...DEFAULT_CRAWL,
      posters: false,
      maxMovies: 15,
      source: {
        kind: 'discover',
        yearFrom: 2000,
        yearTo: 2009,
        minVoteCount: 1000,
        sortBy: 'vote_count.desc',
        language: 'en',
      },
    });
    const q = server.log.slice(from).find((r) => r.path === '/3/discover/movie')!.query;
    expect(q.get('primary_release_date.gte')).toBe('2000-01-01');
    expect(q.get('vote_count.gte')).toBe('1000');
    for (const m of store.movies.values()) {
      expect(m.year).toBeGreaterThanOrEqual(2000);
      expect(m.year).toBeLessThanOrEqual(2009);
      expect(m.voteCount).toBeGreaterThanOrEqual(1000);
    }
    expect(store.movies.size).toBe(
      CATALOGUE.filter(
        (m) =>
          m.release_date >= '2000' &&
          m.release_date < '2010' &&
          m.vote_count >= 1000 &&
          m.original_language === 'en',
      ).slice(0, 15).length,
    );

    const ids = parseIdList(
      `id,title\n${CATALOGUE[3]!.id},"A"\n${CATALOGUE[4]!.id},B\n${CATALOGUE[3]!.id},A\n`,
    );
    expect(ids).toEqual([CATALOGUE[3]!.id, CATALOGUE[4]!.id]);
    const store2 = new MemoryStore();
    await runCrawl(deps(store2), {
      ...DEFAULT_CRAWL,
      posters: false,
      source: { kind: 'ids', ids: [...ids, 999_999_999] },
    });
    expect([...store2.movies.keys()].sort()).toEqual(ids.map((i) => `tmdb:${i}`).sort());
    expect((await loadCrawlState(store2))!.skipped[0]!.reason).toMatch(/404/);
  });

  it('enriches from OMDb and sends each key only to its own host', async () => {
    const store = new MemoryStore();
    const from = server.log.length;
    await runCrawl(deps(store, { omdb: true }), popular(5, { omdb: true, posters: true }));
    const m = byPopularity[0]!;
    expect(store.movies.get(`tmdb:${m.id}`)!.imdbVotes).toBe(m.vote_count * 13);
    for (const r of server.log.slice(from)) {
      if (r.path.startsWith('/3/')) expect(r.query.get('apikey')).toBeNull();
      if (r.path === '/omdb/') expect(r.query.get('api_key')).toBeNull();
      if (r.path.startsWith('/t/p/')) expect([...r.query.keys()]).toEqual([]);
    }
    expect(JSON.stringify(store.crawl)).not.toContain(FAKE_KEYS.apiKey);
  });

  it('works with a v4 read token sent as a Bearer header', async () => {
    const store = new MemoryStore();
    const from = server.log.length;
    await runCrawl(deps(store, { key: FAKE_KEYS.v4Token }), popular(3, { posters: false }));
    expect(store.movies.size).toBe(3);
    const r = server.log.slice(from).find((x) => x.path === '/3/configuration')!;
    expect(r.authorization).toBe(`Bearer ${FAKE_KEYS.v4Token}`);
    expect(r.query.get('api_key')).toBeNull();
  });
});

describe('runCrawl on a flaky, stricter server', () => {
  it('lets other ids proceed while one request hangs, and closes the hung connection at its timeout', async () => {
    const store = new MemoryStore();
    const hung = byPopularity[12]!.id;
    server.addFault({ match: new RegExp(`^/3/movie/${hung}$`), kind: 'hang' });
    const from = server.log.length;
    const state = await runCrawl(
      deps(store, { rate: 20, timeoutMs: 5000 }),
      popular(40, { posters: false }),
    );
    server.clearFaults();
    expect(state.counts.stored).toBe(40);
    const mine = server.log.slice(from);
    const hang = mine.find((r) => r.path === `/3/movie/${hung}`)!;
    // The adaptive timeout (8 × median, at least 1 s; the ceiling here is 5 s) closed it.
    expect(hang.closedMs! - hang.tMs).toBeLessThan(1000 + 1000);
    // The crawl never waited for it: no pause at the server beyond the 50 ms spacing (plus slack),
    // where a window held by the hung request would stop every permit until its timeout + 1 s.
    const gaps = mine.slice(1).map((r, i) => r.tMs - mine[i]!.tMs);
    expect(Math.max(...gaps)).toBeLessThan(300);
    expect(server.maxInWindow(1000, (r) => mine.includes(r))).toBeLessThanOrEqual(20);
  });

  it('slows down on 429 without a readable Retry-After and never skips an id for it', async () => {
    const strict = await startFakeServer({ movies: CATALOGUE, enforceRatePerSec: 10 });
    try {
      const store = new MemoryStore();
      const rates: number[] = [];
      // A browser hides Retry-After from a cross-origin page unless it is exposed: so do we here.
      const fetchFn: typeof fetch = async (input, init) => {
        const r = await fetch(input, init);
        const headers = new Headers(r.headers);
        headers.delete('retry-after');
        return new Response(r.body, { status: r.status, statusText: r.statusText, headers });
      };
      const http = new HttpClient({
        ratePerSec: 20,
        concurrency: 5,
        timeoutMs: 2000,
        backoff: { baseMs: 20, maxMs: 200 },
        fetchFn,
      });
      const state = await runCrawl(
        {
          store,
          http,
          tmdb: new TmdbClient(http, FAKE_KEYS.apiKey, strict.tmdbBase),
          onRate: (c) => rates.push(c.toRate),
        },
        popular(60, { posters: false }),
      );
      expect(state.counts).toMatchObject({ stored: 60, skipped: 0 });
      expect(
        state.log.some((l) => /server asked us to slow down: 20 → 10 req\/s/.test(l.message)),
      ).toBe(true);
      expect(Math.min(...rates)).toBeLessThanOrEqual(10);
      // Once adapted, the server refuses little: far fewer 429s than the 700 of a crawl that ignores them.
      expect(strict.log.filter((r) => r.status === 429).length).toBeLessThan(30);
    } finally {
      await strict.close();
    }
  });

  it('checks the key on /configuration where /authentication is missing (404)', async () => {
    const mirror = await startFakeServer({ movies: CATALOGUE, noAuthentication: true });
    try {
      const http = new HttpClient({ ratePerSec: 50 });
      await new TmdbClient(http, FAKE_KEYS.apiKey, mirror.tmdbBase).checkKey();
      expect(mirror.log.map((r) => [r.path, r.status])).toEqual([
        ['/3/authentication', 404],
        ['/3/configuration', 200],
      ]);
      const bad = await new TmdbClient(http, 'wrong', mirror.tmdbBase)
        .checkKey()
        .catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(BadKeyError);
    } finally {
      await mirror.close();
    }
  });
});

describe('checkKeys', () => {
  const net = (base: string) => ({ ratePerSec: 20, tmdbBase: base, omdbBase: server.omdbBase });

  it('saves a key that works with the time it was checked, and never saves a refused one', async () => {
    const store = new MemoryStore();
    store.settings.set(NET_SETTINGS_KEY, net(server.tmdbBase));
    expect(await checkKeys(store, { tmdb: 'refused-key' }, 1)).toEqual({
      tmdb: expect.stringMatching(/TMDb refused the key/) as string,
    });
    expect(store.settings.get(API_KEYS_KEY)).toEqual({});
    expect(await checkKeys(store, { tmdb: FAKE_KEYS.apiKey }, 2)).toEqual({ tmdb: null });
    expect(store.settings.get(API_KEYS_KEY)).toEqual({ tmdb: FAKE_KEYS.apiKey, tmdbCheckedAt: 2 });
    // A refused typed key leaves the working one saved.
    await checkKeys(store, { tmdb: 'another-bad-one' }, 3);
    expect(store.settings.get(API_KEYS_KEY)).toEqual({ tmdb: FAKE_KEYS.apiKey, tmdbCheckedAt: 2 });
  });

  it('fails fast when the API cannot be reached, and does not save the key', async () => {
    const gone = await startFakeServer({ movies: [] });
    const base = gone.tmdbBase;
    await gone.close();
    const store = new MemoryStore();
    store.settings.set(NET_SETTINGS_KEY, net(base));
    const t0 = performance.now();
    const out = await checkKeys(store, { tmdb: FAKE_KEYS.apiKey });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(out.tmdb).toMatch(/could not check the key \(network error.*: not saved/);
    expect(store.settings.get(API_KEYS_KEY)).toEqual({});
  });
});
