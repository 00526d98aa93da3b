import { createServer, type Server } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ISOLATION_HEADERS } from '../../scripts/vite-plugins.ts';

/** Options for serveStatic. */
export interface ServeOptions {
  /** Send COOP/COEP/CORP like a host that can set headers; false acts like GitHub Pages. */
  isolationHeaders: boolean;
  /** Extra folders by URL prefix, e.g. `{ '/__shared/': '../shared' }` (read in place). */
  mounts?: Record<string, string>;
  /** Serve the site under this path only, e.g. '/marquee/' as GitHub Pages serves /<repo>/ (default '/'). */
  prefix?: string;
  /** Called for every file sent in full (GET), e.g. to weigh what a first visit downloads. */
  onSend?: (urlPath: string, bytes: number) => void;
}

/** A running server; close() also drops keep-alive sockets, so the site is truly gone afterwards. */
export interface StaticServer {
  url: string;
  /** Every request path the server was asked for, in order (whatever the answer). */
  requests: readonly string[];
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.csv': 'text/csv; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** Maps a URL path to a file under `root`, or null if it escapes root or is not a file. */
function resolveFile(root: string, urlPath: string): string | null {
  const rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  const file = normalize(resolve(root, rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel));
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Serves a built site from `dir` on 127.0.0.1 with a free port, like a plain static host. */
export async function serveStatic(dir: string, options: ServeOptions): Promise<StaticServer> {
  const roots = Object.entries(options.mounts ?? {}).map(
    ([prefix, d]) => [prefix, normalize(resolve(d))] as const,
  );
  const siteRoot = normalize(resolve(dir));
  const sitePrefix = options.prefix ?? '/';
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const mount = roots.find(([prefix]) => path.startsWith(prefix));
    const file = mount
      ? resolveFile(mount[1], path.slice(mount[0].length))
      : path.startsWith(sitePrefix)
        ? resolveFile(siteRoot, path.slice(sitePrefix.length - 1))
        : null;
    if (options.isolationHeaders)
      for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.statusCode = file ? 405 : 404;
      res.end(file ? 'method not allowed' : 'not found');
      return;
    }
    res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cache-Control', 'no-cache');
    if (req.method === 'HEAD') return void res.end();
    options.onSend?.(path, statSync(file).size);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
