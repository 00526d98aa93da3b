import type { Plugin, Connect } from 'vite';
import { createReadStream, statSync } from 'node:fs';
import { resolve, normalize, extname, sep } from 'node:path';

/** Headers that make the page cross-origin isolated, so wasm can use threads (SharedArrayBuffer). */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const setIsolationHeaders: Connect.NextHandleFunction = (_req, res, next) => {
  for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
  next();
};

/**
 * Sends COOP/COEP on the dev and preview servers (a static host gets them from the service worker).
 * `server.headers` too: vitest's browser-mode server sends those but not this plugin's middleware,
 * and its test pages must be isolated for the wasm threads tests.
 */
export function crossOriginIsolation(): Plugin {
  return {
    name: 'marquee:cross-origin-isolation',
    config: () => ({ server: { headers: ISOLATION_HEADERS } }),
    configureServer: (server) => void server.middlewares.use(setIsolationHeaders),
    configurePreviewServer: (server) => void server.middlewares.use(setIsolationHeaders),
  };
}

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.tflite': 'application/octet-stream',
};

/**
 * Serves ../shared (data and pretrained weights that must never be committed) under /__shared/
 * on the dev and preview servers only; the built site never contains it. Set MARQUEE_SHARED to
 * point elsewhere: a relative path is taken from the project folder, as the tests take it
 * (src/test/shared.ts). A missing folder answers 404, so tests skip what needs it.
 */
export function sharedFolder(
  root = resolve(import.meta.dirname, '..', process.env.MARQUEE_SHARED || '../shared'),
): Plugin {
  // Absolute, so the containment check below compares like with like (a relative
  // MARQUEE_SHARED used to make every request fail it: 403).
  const base = resolve(root);
  const handler: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith('/__shared/')) return next();
    const file = normalize(
      resolve(base, decodeURIComponent(url.pathname.slice('/__shared/'.length))),
    );
    if (!file.startsWith(base + sep)) return void ((res.statusCode = 403), res.end('forbidden'));
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
      res.setHeader('Content-Length', String(st.size));
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      createReadStream(file).pipe(res);
    } catch {
      res.statusCode = 404;
      res.end('not found');
    }
  };
  return {
    name: 'marquee:shared-folder',
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}
