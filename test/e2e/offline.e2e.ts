import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { ensureBuilt } from './build.ts';
import { serveStatic, type StaticServer } from './serve.ts';
import { isFirstUseOnly } from '../../src/lib/offline/first-use.ts';

/**
 * The built site on a host that cannot send headers (like GitHub Pages): the service worker must
 * make it cross-origin isolated (one reload) and let it open with no network at all.
 * Until main.ts calls registerServiceWorker(), the test registers /sw.js itself and does the one
 * reload that register.ts would do; once it is wired, the app's own registration and reload are checked.
 */

/** The backbone that ships with the site (public/models/, loaded on first use, never precached). */
const MODEL = '/models/mobilenetv2-0.35';
const SHOTS = resolve('test/e2e/screenshots');
const TITLE = 'Marquee — movie-genre ML studio';
/** Same globs as pwa-plugin.ts; sw.js is the worker itself and models/ loads on first use: neither is precached. */
const PRECACHED = /\.(js|css|html|svg|wasm|json|webmanifest)$|^\/icons\/[^/]+\.png$/;
const NOT_PRECACHED = /^\/(sw\.js|models\/.*)$/;

let browser: Browser;
let dist: string;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Evaluates in the page, retrying while a (self-)reload destroys the execution context. */
async function settle<T>(
  page: Page,
  fn: () => Promise<T> | T,
  until: (v: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await page.evaluate(fn);
      if (until(v)) return v;
      last = v;
    } catch (err) {
      last = err; // navigation in progress
    }
    await sleep(100);
  }
  throw new Error(`page never settled; last value: ${String(last)}`);
}

/** Counts main-frame navigations (the first load is 1). */
function countNavigations(page: Page): () => number {
  let n = 0;
  page.on('framenavigated', (f) => void (f === page.mainFrame() && n++));
  return () => n;
}

/** Whether the built app registers its worker by itself (main.ts wired), seen within 1.5 s of load. */
async function appRegistersItself(page: Page): Promise<boolean> {
  await page.waitForLoadState('load');
  await sleep(1500);
  return settle(
    page,
    async () => (await navigator.serviceWorker.getRegistration()) !== undefined,
    () => true,
  );
}

async function registerByHand(page: Page): Promise<void> {
  await page.evaluate(
    async () => void (await navigator.serviceWorker.register('/sw.js', { type: 'classic' })),
  );
}

const controlled = () => navigator.serviceWorker.controller !== null;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dist = await ensureBuilt();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
});

describe('on a static host without isolation headers', () => {
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  let navigations: () => number;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await serveStatic(dist, { isolationHeaders: false });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => void errors.push(e.message));
    navigations = countNavigations(page);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('is not isolated on the first load, and is after the worker takes control (one reload)', async () => {
    await page.goto(server.url);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
    const wired = await appRegistersItself(page);
    console.info(
      `offline e2e: main.ts ${wired ? 'registers the worker itself' : 'not wired yet; registering by hand'}`,
    );
    if (!wired) {
      await registerByHand(page);
      await settle(page, controlled, (v) => v);
      await page.reload();
    }
    const isolated = await settle(
      page,
      () => globalThis.crossOriginIsolated,
      (v) => v,
      20_000,
    ).catch(() => false);
    await sleep(2000); // a reload loop would show up here
    // Reported together, so a worker that fails to isolate also shows whether the page looped.
    expect({ isolated, navigations: navigations() }).toEqual({ isolated: true, navigations: 2 });
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    // The server sent no COEP; the worker added it.
    const coep = await page.evaluate(async () =>
      (await fetch('/index.html')).headers.get('cross-origin-embedder-policy'),
    );
    expect(coep).toBe('require-corp');
    expect(errors).toEqual([]);
  });

  it('precaches every built file the globs name, the wasm binaries included', async () => {
    const expected = walk(dist)
      .map((f) => '/' + relative(dist, f).split('\\').join('/'))
      // Big optional runtimes are kept on first use, not precached (src/lib/offline/first-use.ts).
      .filter((p) => PRECACHED.test(p) && !NOT_PRECACHED.test(p) && !isFirstUseOnly(p.slice(1)))
      .sort();
    const state = await settle(
      page,
      async () => (await navigator.serviceWorker.getRegistration())?.active?.state,
      (s) => s === 'activated',
    );
    expect(state).toBe('activated');
    const cached = await page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith('workbox-precache'));
      if (!name) return { paths: [] as string[], bytes: 0 };
      const cache = await caches.open(name);
      let bytes = 0;
      const paths: string[] = [];
      for (const req of await cache.keys()) {
        bytes += (await (await cache.match(req))!.arrayBuffer()).byteLength;
        paths.push(new URL(req.url).pathname);
      }
      return { paths: paths.sort(), bytes };
    });
    const expectedBytes = expected.reduce((sum, p) => sum + statSync(join(dist, p)).size, 0);
    console.info(`offline e2e: precache ${cached.paths.length} entries, ${cached.bytes} bytes`);
    expect(cached.paths).toEqual(expected);
    expect(cached.bytes).toBe(expectedBytes);
    expect(expected.some((p) => p.endsWith('.wasm'))).toBe(true);
  });

  it('leaves model files to the model store (no second copy by the worker)', async () => {
    // Weights are kept by net/model-store.ts (see backbones.e2e.ts); a plain fetch of one through
    // the worker is passed to the network and not cached, so the store stays the only writer.
    const sizes = await page.evaluate(async (base) => {
      const bin = await (await fetch(`${base}/weights.bin`)).arrayBuffer();
      const cache = await caches.open('marquee-models');
      return { bin: bin.byteLength, cached: (await cache.keys()).length };
    }, MODEL);
    expect(sizes.bin).toBe(statSync(join(dist, MODEL, 'weights.bin')).size);
    expect(sizes.cached).toBe(0);
  });

  it('opens the app shell with the server gone and the browser offline', async () => {
    await server.close();
    await context.setOffline(true);
    const failed: string[] = [];
    page.on('requestfailed', (r) => void failed.push(r.url()));
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(await page.title()).toBe(TITLE);
    const app = await page.evaluate(() => {
      const el = document.getElementById('app');
      return { children: el?.childElementCount ?? 0, text: el?.innerText.trim().length ?? 0 };
    });
    expect(app.children).toBeGreaterThan(0);
    expect(app.text).toBeGreaterThan(20);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'offline.png') });
  });
});

describe('on a host that sends isolation headers', () => {
  let server: StaticServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await serveStatic(dist, { isolationHeaders: true });
    context = await browser.newContext();
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('is isolated at once and the worker never reloads the page', async () => {
    const page = await context.newPage();
    const navigations = countNavigations(page);
    await page.goto(server.url);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    if (!(await appRegistersItself(page))) await registerByHand(page);
    await settle(page, controlled, (v) => v);
    await sleep(2000);
    expect(navigations()).toBe(1);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}
