/**
 * The dev/preview servers' /__shared/ mount (sharedFolder): MARQUEE_SHARED may be relative (taken
 * from the project folder, as src/test/shared.ts takes it), a missing file answers 404 (so tests
 * that ask for it skip with their NOT RUN line), and nothing outside the folder is served.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Connect } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedFolder } from './vite-plugins.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'marquee-shared-mount-'));
mkdirSync(join(dir, 'data'));
writeFileSync(join(dir, 'data', 'a.csv'), 'id,title\n1,A\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The plugin's middleware, as the dev server would install it. */
function middleware(): Connect.NextHandleFunction {
  let handler: Connect.NextHandleFunction | undefined;
  const plugin = sharedFolder();
  const configure = plugin.configureServer as (s: unknown) => void;
  configure({ middlewares: { use: (h: Connect.NextHandleFunction) => (handler = h) } });
  return handler!;
}

/** Status and body of one GET through the middleware. */
function get(
  h: Connect.NextHandleFunction,
  url: string,
): Promise<{ status: number; body: string }> {
  return new Promise((ok) => {
    const res = Object.assign(new PassThrough(), {
      statusCode: 200,
      setHeader: () => undefined,
    });
    let body = '';
    res.on('data', (d: Buffer) => (body += d.toString()));
    res.on('finish', () => ok({ status: res.statusCode, body }));
    h({ url } as never, res as never, () => ok({ status: -1, body: 'next' }));
  });
}

describe('sharedFolder', () => {
  it('takes a relative MARQUEE_SHARED from the project folder, serves its files, 404s the rest', async () => {
    const before = process.env.MARQUEE_SHARED;
    process.env.MARQUEE_SHARED = relative(ROOT, dir);
    try {
      const h = middleware();
      expect(await get(h, '/__shared/data/a.csv')).toEqual({
        status: 200,
        body: 'id,title\n1,A\n',
      });
      expect((await get(h, '/__shared/data/missing.csv')).status).toBe(404);
      expect((await get(h, '/__shared/../package.json')).status).not.toBe(200);
      expect((await get(h, '/src/main.ts')).body).toBe('next'); // not ours: passed on
    } finally {
      if (before === undefined) delete process.env.MARQUEE_SHARED;
      else process.env.MARQUEE_SHARED = before;
    }
  });
});
