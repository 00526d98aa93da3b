import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A Vite dev server with the repo's config on 127.0.0.1, for benchmark pages that are not part of
 * the built app (bench/pages/*.html); closed when `fn` settles.
 */
export async function withDevServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite dev server has no local URL');
    return await fn(url);
  } finally {
    await server.close();
  }
}
