import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../test/fake-servers/catalogue.ts';
import { FAKE_KEYS, startFakeServer, type FakeServer } from '../../../test/fake-servers/server.ts';
import { HttpClient, HttpError, redactUrl } from './http.ts';

let server: FakeServer;
const auth = (path: string) =>
  `${server.tmdbBase}${path}${path.includes('?') ? '&' : '?'}api_key=${FAKE_KEYS.apiKey}`;

beforeAll(async () => {
  server = await startFakeServer({ movies: loadCatalogue({ limit: 200, withPostersFirst: true }) });
});
afterAll(() => server.close());

describe('HttpClient against the fake TMDb', () => {
  it('keeps the rate measured at the server at or under the limit (20/s, 8 in flight)', async () => {
    const http = new HttpClient({ ratePerSec: 20, concurrency: 8 });
    const from = server.log.length;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http.getJson(auth(`/movie/${loadedIds[i % loadedIds.length]}`)),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const mine = new Set(server.log.slice(from));
    expect(server.maxInWindow(1000, (r) => mine.has(r))).toBeLessThanOrEqual(20);
    // 50 permits spaced 50.5 ms: the first is immediate, so ≥ 49 × 50.5 ms.
    expect(seconds).toBeGreaterThanOrEqual(2.47);
    expect(seconds).toBeLessThan(4);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    server.addFault({ match: /^\/3\/genre/, kind: '429', retryAfterSec: 1 });
    const http = new HttpClient({ ratePerSec: 50 });
    const t0 = performance.now();
    const body = (await http.getJson(auth('/genre/movie/list'))) as { genres: unknown[] };
    expect(body.genres).toHaveLength(19);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
    expect(http.stats.status429).toBe(1);
  });

  it('retries 500 and 503 with backoff', async () => {
    server.addFault({ match: /^\/3\/configuration/, kind: '500' });
    server.addFault({ match: /^\/3\/configuration/, kind: '503' });
    const http = new HttpClient({ ratePerSec: 50, backoff: { baseMs: 20, maxMs: 100 } });
    await expect(http.getJson(auth('/configuration'))).resolves.toHaveProperty('images');
    expect(http.stats.retries).toBe(2);
  });

  it('times out a hung request and retries it', async () => {
    server.addFault({ match: /^\/3\/authentication/, kind: 'hang' });
    const http = new HttpClient({
      ratePerSec: 50,
      timeoutMs: 300,
      backoff: { baseMs: 10, maxMs: 10 },
    });
    await expect(http.getJson(auth('/authentication'))).resolves.toHaveProperty('success', true);
    expect(http.stats.retries).toBe(1);
  });

  it('gives up after maxRetries with the last reason', async () => {
    server.addFault({ match: /^\/3\/authentication/, kind: '503', times: 3 });
    const http = new HttpClient({
      ratePerSec: 50,
      maxRetries: 2,
      backoff: { baseMs: 5, maxMs: 5 },
    });
    const err = await http.getJson(auth('/authentication')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).kind).toBe('server');
    expect((err as HttpError).message).toMatch(/503.*gave up after 3 attempts/);
  });

  it('reports HTML, malformed and wrongly typed bodies as bad-body without retrying', async () => {
    const http = new HttpClient({ ratePerSec: 50 });
    for (const [kind, re] of [
      ['html', /HTML page/],
      ['malformed', /malformed JSON/],
      ['wrong-type', /content-type text\/plain/],
    ] as const) {
      server.addFault({ match: /^\/3\/authentication/, kind });
      const err = (await http
        .getJson(auth('/authentication'))
        .catch((e: unknown) => e)) as HttpError;
      expect(err.kind).toBe('bad-body');
      expect(err.message).toMatch(re);
    }
    expect(http.stats.retries).toBe(0);
  });

  it('treats a body cut off mid-way as a network error and retries', async () => {
    server.addFault({ match: /^\/3\/authentication/, kind: 'truncate' });
    const http = new HttpClient({ ratePerSec: 50, backoff: { baseMs: 5, maxMs: 5 } });
    await expect(http.getJson(auth('/authentication'))).resolves.toHaveProperty('success', true);
    expect(http.stats.retries).toBe(1);
  });

  it('fails fast on 401 with an auth error and no key in the message', async () => {
    const http = new HttpClient({ ratePerSec: 50 });
    const err = (await http
      .getJson(`${server.tmdbBase}/authentication?api_key=wrong-secret`)
      .catch((e: unknown) => e)) as HttpError;
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('wrong-secret');
    expect(http.stats.retries).toBe(0);
  });

  it('cancels a waiting request with the abort reason', async () => {
    server.addFault({ match: /^\/3\/authentication/, kind: 'hang' });
    const http = new HttpClient({ ratePerSec: 50, timeoutMs: 10_000 });
    const c = new AbortController();
    const p = http.getJson(auth('/authentication'), { signal: c.signal });
    setTimeout(() => c.abort(new DOMException('Cancelled', 'AbortError')), 100);
    await expect(p).rejects.toThrow('Cancelled');
  });

  it('checks image content types', async () => {
    const http = new HttpClient({ ratePerSec: 50 });
    const id = loadedIds[0]!;
    const ok = await http.getBytes(`${server.imageBase}w185/${id}.jpg`, /^image\//);
    expect(ok.bytes[0]).toBe(0xff);
    server.addFault({ match: /^\/t\/p\//, kind: 'wrong-type' });
    await expect(http.getBytes(`${server.imageBase}w185/${id}.jpg`, /^image\//)).rejects.toThrow(
      /content-type text\/html/,
    );
  });
});

describe('redactUrl', () => {
  it('hides api keys in query strings', () => {
    expect(redactUrl('https://api.themoviedb.org/3/movie/1?api_key=SECRET&language=en')).toBe(
      'https://api.themoviedb.org/3/movie/1?api_key=***&language=en',
    );
    expect(redactUrl('https://www.omdbapi.com/?i=tt1&apikey=SECRET')).not.toContain('SECRET');
  });
});

const loadedIds = loadCatalogue({ limit: 200, withPostersFirst: true }).map((m) => m.id);
