import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { POSTER_DIR, type FakeMovie } from './catalogue.ts';
import { detailsJson, listItem, omdbJson, GENRES } from './shapes.ts';

/** Faults the server injects on demand, matched against the request path in order. */
export type FaultKind =
  | '429'
  | '500'
  | '503'
  | 'hang'
  | 'truncate'
  | 'malformed'
  | 'html'
  | 'wrong-type'
  | 'missing-field'
  | 'bad-type';

export interface Fault {
  /** Matched against the path (no query). */
  match: RegExp;
  kind: FaultKind;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  retryAfterSec?: number;
}

/** One request as the server saw it. */
export interface LoggedRequest {
  tMs: number;
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** Set once the whole response was sent (0 while pending, or when the connection died first). */
  status: number;
  /** When the connection was closed before a response was sent (an aborted or hung request). */
  closedMs?: number;
}

export interface FakeServerOptions {
  movies: FakeMovie[];
  apiKey?: string;
  v4Token?: string;
  omdbKey?: string;
  /** Answer 429 (Retry-After: 1) when more than this many requests arrived in the last second. */
  enforceRatePerSec?: number;
  /** Delay before every answer (ms): a real API's latency. */
  latencyMs?: number;
  /**
   * List Retry-After in Access-Control-Expose-Headers (default true). Without it a cross-origin
   * page cannot read the header, as with many real APIs.
   */
  exposeRetryAfter?: boolean;
  /** Answer /3/authentication with 404, like TMDb-compatible proxies and mirrors without it. */
  noAuthentication?: boolean;
  /** Seeded random faults on matching paths (the bench's flaky network). */
  randomFaults?: { fraction: number; kinds: FaultKind[]; match: RegExp; seed?: number };
}

export interface FakeServer {
  url: string;
  tmdbBase: string;
  omdbBase: string;
  imageBase: string;
  readonly log: LoggedRequest[];
  addFault(f: Fault): void;
  clearFaults(): void;
  /** Most non-OPTIONS requests whose arrival times fall in any window [t, t + windowMs). */
  maxInWindow(windowMs?: number, filter?: (r: LoggedRequest) => boolean): number;
  close(): Promise<void>;
}

export const FAKE_KEYS = {
  apiKey: 'fake-v3-key-0123456789abcdef',
  v4Token: 'eyJfake.v4.token',
  omdbKey: 'fake-omdb',
};
const PAGE_SIZE = 20;

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    ...extra,
  });
  res.end(body);
}

function listPage(movies: FakeMovie[], q: URLSearchParams) {
  const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
  const results = movies.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(listItem);
  return {
    page,
    results,
    total_pages: Math.max(1, Math.ceil(movies.length / PAGE_SIZE)),
    total_results: movies.length,
  };
}

function discover(movies: FakeMovie[], q: URLSearchParams): FakeMovie[] {
  const gte = q.get('primary_release_date.gte') ?? '';
  const lte = q.get('primary_release_date.lte') ?? '';
  const lang = q.get('with_original_language');
  const minVotes = Number(q.get('vote_count.gte') ?? 0);
  const sort = q.get('sort_by') ?? 'popularity.desc';
  const [field, dir] = sort.split('.') as [string, string];
  const key = field === 'primary_release_date' ? 'release_date' : field;
  const out = movies.filter(
    (m) =>
      (!gte || m.release_date >= gte) &&
      (!lte || m.release_date <= lte) &&
      (!lang || m.original_language === lang) &&
      m.vote_count >= minVotes,
  );
  const get = (m: FakeMovie) => m[key as keyof FakeMovie] as number | string;
  return out.sort(
    (a, b) => (get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : a.id - b.id) * (dir === 'asc' ? 1 : -1),
  );
}

/** Starts a fake TMDb v3 + OMDb + TMDb image server on 127.0.0.1 with CORS/CORP headers for the isolated app. */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const keys = { ...FAKE_KEYS, ...options };
  const byId = new Map(options.movies.map((m) => [m.id, m]));
  const log: LoggedRequest[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const sockets = new Set<Socket>();
  let url = '';

  let seed = options.randomFaults?.seed ?? 1;
  const random = () => {
    // mulberry32: a small seeded generator, so a bench run's faults are the same every time.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const takeFault = (path: string): Fault | undefined => {
    const f = faults.find((x) => x.left > 0 && x.match.test(path));
    if (f) f.left -= 1;
    const r = options.randomFaults;
    if (!f && r && r.match.test(path) && random() < r.fraction)
      return { match: r.match, kind: r.kinds[Math.floor(random() * r.kinds.length)]! };
    return f;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, entry: LoggedRequest) => {
    const q = entry.query;
    const path = entry.path;
    const json = (status: number, body: unknown) =>
      send(res, status, JSON.stringify(body), 'application/json;charset=utf-8');
    if (options.enforceRatePerSec !== undefined) {
      // Judged as at its arrival: requests that came in during the latency delay (or a late
      // timer) are not in its window, else a server on a busy machine 429s a pace it allows.
      const since = entry.tMs - 1000;
      const recent = log.filter(
        (r) => r.method !== 'OPTIONS' && r.tMs > since && r.tMs <= entry.tMs,
      ).length;
      if (recent > options.enforceRatePerSec)
        return send(
          res,
          429,
          JSON.stringify({
            status_code: 25,
            status_message: 'Your request count is over the allowed limit.',
          }),
          'application/json',
          { 'Retry-After': '1' },
        );
    }
    const fault = takeFault(path);
    if (fault?.kind === 'hang') return; // never answers; the client must time out
    if (fault?.kind === '429')
      return send(
        res,
        429,
        JSON.stringify({
          status_code: 25,
          status_message: 'Your request count is over the allowed limit.',
        }),
        'application/json',
        { 'Retry-After': String(fault.retryAfterSec ?? 1) },
      );
    if (fault?.kind === '500' || fault?.kind === '503')
      return send(
        res,
        Number(fault.kind),
        '{"status_code":11,"status_message":"Internal error."}',
        'application/json',
      );
    if (fault?.kind === 'html')
      return send(
        res,
        200,
        '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>',
        'text/html',
      );

    if (path.startsWith('/t/p/')) {
      const file = /^\/t\/p\/[a-z0-9]+\/(\d+)\.jpg$/.exec(path)?.[1];
      const bytes = file ? await readFile(join(POSTER_DIR, `${file}.jpg`)).catch(() => null) : null;
      if (!bytes) return send(res, 404, 'not found', 'text/plain');
      if (fault?.kind === 'wrong-type') return send(res, 200, bytes, 'text/html');
      if (fault?.kind === 'truncate') return truncate(res, bytes, 'image/jpeg');
      return send(res, 200, bytes, 'image/jpeg');
    }

    let body: unknown;
    let status = 200;
    if (path === '/omdb/') {
      if (q.get('apikey') !== keys.omdbKey)
        return json(401, { Response: 'False', Error: 'Invalid API key!' });
      const m = [...byId.values()].find((x) => x.imdb_id === q.get('i'));
      body = m ? omdbJson(m) : { Response: 'False', Error: 'Incorrect IMDb ID.' };
    } else {
      const okKey =
        q.get('api_key') === keys.apiKey || entry.authorization === `Bearer ${keys.v4Token}`;
      if (!okKey)
        return json(401, {
          status_code: 7,
          status_message: 'Invalid API key: You must be granted a valid key.',
          success: false,
        });
      const detail = /^\/3\/movie\/(\d+)$/.exec(path);
      if (path === '/3/authentication' && !options.noAuthentication)
        body = { success: true, status_code: 1, status_message: 'Success.' };
      else if (path === '/3/configuration')
        body = {
          images: {
            base_url: `${url.replace('127.0.0.1', 'localhost')}/t/p/`,
            secure_base_url: `${url}/t/p/`,
            poster_sizes: ['w92', 'w154', 'w185', 'w342', 'w500', 'w780', 'original'],
            backdrop_sizes: ['w300', 'w780', 'w1280', 'original'],
          },
          change_keys: [],
        };
      else if (path === '/3/genre/movie/list') body = { genres: GENRES };
      else if (path === '/3/discover/movie') body = listPage(discover(options.movies, q), q);
      else if (path === '/3/movie/popular')
        body = listPage(
          [...options.movies].sort((a, b) => b.popularity - a.popularity || a.id - b.id),
          q,
        );
      else if (path === '/3/movie/top_rated')
        body = listPage(
          [...options.movies].sort((a, b) => b.vote_average - a.vote_average || a.id - b.id),
          q,
        );
      else if (detail) {
        const m = byId.get(Number(detail[1]));
        if (!m)
          [status, body] = [
            404,
            {
              status_code: 34,
              status_message: 'The resource you requested could not be found.',
              success: false,
            },
          ];
        else body = detailsJson(m, (q.get('append_to_response') ?? '').split(','));
        if (m && fault?.kind === 'missing-field') delete (body as Record<string, unknown>).title;
        if (m && fault?.kind === 'bad-type') (body as Record<string, unknown>).popularity = 'very';
      } else
        [status, body] = [
          404,
          {
            status_code: 34,
            status_message: 'The resource you requested could not be found.',
            success: false,
          },
        ];
    }
    const text = JSON.stringify(body);
    if (fault?.kind === 'malformed')
      return send(res, 200, text.slice(0, Math.floor(text.length / 2)), 'application/json');
    if (fault?.kind === 'truncate') return truncate(res, Buffer.from(text), 'application/json');
    if (fault?.kind === 'wrong-type') return send(res, 200, text, 'text/plain');
    send(res, status, text, 'application/json;charset=utf-8');
  };

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const entry: LoggedRequest = {
      tMs: performance.now(),
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      authorization: req.headers.authorization,
      status: 0,
    };
    log.push(entry);
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (options.exposeRetryAfter !== false)
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => {
      if (!res.writableFinished) entry.closedMs = performance.now();
    });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'Authorization, Accept, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      return void res.end();
    }
    const go = () =>
      void handle(req, res, entry).catch((e: unknown) => send(res, 500, String(e), 'text/plain'));
    if (options.latencyMs) setTimeout(go, options.latencyMs);
    else go();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tmdbBase: `${url}/3`,
    omdbBase: `${url}/omdb/`,
    imageBase: `${url}/t/p/`,
    log,
    addFault: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    maxInWindow(windowMs = 1000, filter = () => true) {
      const t = log
        .filter((r) => r.method !== 'OPTIONS' && filter(r))
        .map((r) => r.tMs)
        .sort((a, b) => a - b);
      let best = 0;
      for (let i = 0, j = 0; j < t.length; j++) {
        while (t[j]! - t[i]! >= windowMs) i++;
        best = Math.max(best, j - i + 1);
      }
      return best;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/** Promises the whole body in Content-Length, sends half, then drops the connection. */
function truncate(res: ServerResponse, bytes: Uint8Array, type: string): void {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}
