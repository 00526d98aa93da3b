/**
 * How heavy the built site is: what a first visit downloads before the user asks for any model
 * (the page, then everything the service worker precaches), counted by the server, and the size
 * of dist/. Targets (issue 14): JS + wasm of a first visit ≤ 6 MB, dist/ ≤ 40 MB, one tfjs for
 * all the tfjs workers, no source maps shipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';
import { importsOutsidePrecache, weighSite } from '../../scripts/site-weight.ts';

const MB = 1e6;
const sent = new Map<string, number>();
let dist: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dist = await ensureBuilt();
  server = await serveStatic(dist, {
    isolationHeaders: true,
    onSend: (path, bytes) => void sent.set(path, (sent.get(path) ?? 0) + bytes),
  });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('site weight', () => {
  it('ships one tfjs for the workers, no source maps, and stays under 40 MB', () => {
    const w = weighSite(dist);
    console.log(
      `dist/ ${(w.distBytes / MB).toFixed(1)} MB; precache ${w.precache.length} files, ` +
        `${(w.precacheBytes / MB).toFixed(2)} MB (JS+wasm ${(w.precacheCodeBytes / MB).toFixed(2)} MB); ` +
        `tfjs copies ${w.tfjsCoreCopies}`,
    );
    expect(w.mapBytes).toBe(0);
    // One copy for the page (Settings' benchmark, previews) and one shared by the five tfjs
    // workers; before issue 14 each worker bundled its own (6 in all).
    expect(w.tfjsCoreCopies).toBe(2);
    expect(w.distBytes).toBeLessThanOrEqual(40 * MB);
    expect(w.precache.some((f) => f.path.startsWith('models/'))).toBe(false);
  });

  it('precaches every module a precached module imports statically (else it cannot start offline)', () => {
    // The first-use chunks (h5wasm, tfjs-tflite) are not precached: reached only through import().
    expect(importsOutsidePrecache(dist)).toEqual([]);
  });

  it('downloads at most 6 MB of JS and wasm on a first visit, before any model is asked for', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/#/library`);
    // The service worker installs (precaching), takes control, and the page reloads once to
    // become cross-origin isolated; then nothing more is fetched.
    await expect
      .poll(
        () =>
          page
            .evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state)
            .catch(() => 'reloading'),
        { timeout: 120_000, interval: 250 },
      )
      .toBe('activated');
    await expect.poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false)).toBe(true);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    if (process.env.WEIGHT_DEBUG) console.log([...sent.keys()].sort().join('\n'));
    const code = [...sent].filter(([p]) => /\.(m?js|wasm)$/.test(p));
    const codeBytes = code.reduce((s, [, b]) => s + b, 0);
    const allBytes = [...sent.values()].reduce((s, b) => s + b, 0);
    console.log(
      `first visit: ${sent.size} files, ${(allBytes / MB).toFixed(2)} MB, JS+wasm ${(codeBytes / MB).toFixed(2)} MB`,
    );
    expect([...sent.keys()].some((p) => p.startsWith('/assets/'))).toBe(true);
    expect(
      [...sent.keys()].filter((p) => p.startsWith('/models/') || p.startsWith('/tflite/')),
    ).toEqual([]);
    expect(codeBytes).toBeLessThanOrEqual(6 * MB);
    await context.close();
  });
});
